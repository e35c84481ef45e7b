package render

import (
	"strings"
	"testing"
)

// interviewArticle is a ~5 KB interview in the shape of the product's
// reference article: a lead, a heading, dash turns of all three kinds,
// a narration paragraph, links, an image and a list.
func interviewArticle() string {
	var b strings.Builder
	b.WriteString("Интервью с главным редактором издания, которое работает из эмиграции. ")
	b.WriteString("Разговор записан в Риге; текст сокращён и отредактирован.\n\n")
	b.WriteString("# Как всё началось\n\n")
	b.WriteString("![Редакция в Риге](/media/2024/riga-newsroom.jpg)\n\n")
	turns := []string{
		"- Когда вы поняли, что редакции придётся уехать?",
		"- В тот день, когда нам заблокировали сайт и пришли с *обыском* к нашему корреспонденту. " +
			"Мы собрали ноутбуки, архив и уехали за двое суток.",
		"– Что оказалось самым трудным?",
		"– Сохранить **доверие** читателей. Люди боятся заходить на заблокированные сайты, " +
			"поэтому мы запустили [зеркала](https://example.org/mirrors) и рассылку.",
		"— Как вы проверяете информацию, если не можете быть на месте?",
		"— У нас есть сеть источников, и каждое сообщение подтверждают минимум двое. " +
			"Подробнее мы писали в [методологии](/about/methodology).",
	}
	for round := 0; round < 4; round++ {
		for _, t := range turns {
			b.WriteString(t)
			b.WriteString("\n\n")
		}
		b.WriteString("Редактор делает паузу и наливает чай. За окном идёт дождь.\n\n")
		if round == 1 {
			b.WriteString("## Что дальше\n\nПланы редакции на год:\n\n* подкаст\n* англоязычная версия\n* школа журналистики\n\n")
		}
	}
	return b.String()
}

func BenchmarkArticle(b *testing.B) {
	src := interviewArticle()
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		_ = Article(src, Options{Interview: true})
	}
}

func BenchmarkArticleExcerpt(b *testing.B) {
	src := interviewArticle()
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		_ = ArticleExcerpt(src, 200, Options{Interview: true})
	}
}

func BenchmarkCommentText(b *testing.B) {
	src := strings.Repeat("Спасибо за интервью! Вот ссылка: https://example.org/a_(b).\n\n", 40)
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		_ = CommentText(src)
	}
}
