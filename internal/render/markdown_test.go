package render

import (
	"html/template"
	"strings"
	"sync"
	"testing"
)

func TestMarkdownExact(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{
			name: "paragraphs",
			src:  "Первый абзац\nпродолжается.\n\nВторой.",
			want: "<p>Первый абзац\nпродолжается.</p>\n<p>Второй.</p>\n",
		},
		{
			name: "emphasis",
			src:  "*курсив* **жирный** _ещё_ ~~зачёркнуто~~",
			want: "<p><em>курсив</em> <strong>жирный</strong> <em>ещё</em> <del>зачёркнуто</del></p>\n",
		},
		{
			name: "absolute link gets rel",
			src:  "См. [сайт](https://example.org/a?b=1&c=2).",
			want: `<p>См. <a href="https://example.org/a?b=1&amp;c=2" rel="noopener">сайт</a>.</p>` + "\n",
		},
		{
			name: "relative link gets rel",
			src:  "[о нас](/about)",
			want: `<p><a href="/about" rel="noopener">о нас</a></p>` + "\n",
		},
		{
			name: "mailto link",
			src:  "[почта](mailto:desk@example.org)",
			want: `<p><a href="mailto:desk@example.org" rel="noopener">почта</a></p>` + "\n",
		},
		{
			name: "autolink gets rel",
			src:  "См. <https://example.org>",
			want: `<p>См. <a href="https://example.org" rel="noopener">https://example.org</a></p>` + "\n",
		},
		{
			name: "javascript link keeps only its text",
			src:  "[жми](javascript:alert(1))",
			want: "<p>жми</p>\n",
		},
		{
			name: "javascript autolink is plain text",
			src:  "<javascript:alert(1)>",
			want: "<p>javascript:alert(1)</p>\n",
		},
		{
			name: "h1 becomes h2",
			src:  "# Заголовок",
			want: "<h2>Заголовок</h2>\n",
		},
		{
			name: "setext h1 becomes h2",
			src:  "Заголовок\n=========",
			want: "<h2>Заголовок</h2>\n",
		},
		{
			name: "h2 and h3 stay",
			src:  "## Два\n\n### Три",
			want: "<h2>Два</h2>\n<h3>Три</h3>\n",
		},
		{
			name: "h6 is clamped to h4",
			src:  "###### Шесть",
			want: "<h4>Шесть</h4>\n",
		},
		{
			name: "relative image kept",
			src:  "![Фото: редакция](/media/photo.jpg)",
			want: `<p><img src="/media/photo.jpg" alt="Фото: редакция"></p>` + "\n",
		},
		{
			name: "external image becomes its alt text",
			src:  "![кот](https://tracker.example/cat.png)",
			want: "<p>кот</p>\n",
		},
		{
			name: "protocol-relative image dropped",
			src:  "![кот](//tracker.example/cat.png)",
			want: "<p>кот</p>\n",
		},
		{
			// Percent-encoded, the backslash can no longer turn the
			// path into a host.
			name: "backslash is encoded and the image stays local",
			src:  `![кот](/\tracker.example/cat.png)`,
			want: `<p><img src="/%5Ctracker.example/cat.png" alt="кот"></p>` + "\n",
		},
		{
			name: "path-relative image dropped",
			src:  "![кот](media/cat.png)",
			want: "<p>кот</p>\n",
		},
		{
			name: "data image dropped",
			src:  "![пиксель](data:image/png;base64,iVBORw0KGgo=)",
			want: "<p>пиксель</p>\n",
		},
		{
			name: "star list stays a list",
			src:  "* один\n* два",
			want: "<ul>\n<li>один</li>\n<li>два</li>\n</ul>\n",
		},
		{
			name: "plus list stays a list",
			src:  "+ один\n+ два",
			want: "<ul>\n<li>один</li>\n<li>два</li>\n</ul>\n",
		},
		{
			name: "dash in fenced code stays code",
			src:  "```\n- не реплика\n— и это\n```",
			want: "<pre><code>- не реплика\n— и это\n</code></pre>\n",
		},
		{
			name: "dash in indented code stays code",
			src:  "    - не реплика",
			want: "<pre><code>- не реплика\n</code></pre>\n",
		},
		{
			name: "dash later in a paragraph is not a turn",
			src:  "Он ответил — нет.",
			want: "<p>Он ответил — нет.</p>\n",
		},
		{
			name: "dash without a space is not a turn",
			src:  "—Нет.",
			want: "<p>—Нет.</p>\n",
		},
		{
			name: "escaped hyphen is not a turn",
			src:  `\- сноска`,
			want: "<p>- сноска</p>\n",
		},
		{
			name: "table",
			src:  "| a | b |\n|:--|--:|\n| 1 | 2 |",
			want: "<table>\n<thead>\n<tr>\n<th>a</th>\n<th>b</th>\n</tr>\n</thead>\n" +
				"<tbody>\n<tr>\n<td>1</td>\n<td>2</td>\n</tr>\n</tbody>\n</table>\n",
		},
		{
			name: "raw class attribute cannot fake a turn",
			src:  `<p class="turn turn-q">фальшивка</p>`,
			want: "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := strings.TrimLeft(string(Markdown(tt.src)), "\n")
			if got != tt.want {
				t.Errorf("Markdown(%q)\n got: %q\nwant: %q", tt.src, got, tt.want)
			}
			// None of these is a turn of speech, in any article.
			for _, o := range []Options{{}, {Interview: true}} {
				if got := strings.TrimLeft(string(Article(tt.src, o)), "\n"); got != tt.want {
					t.Errorf("Article(%q, %+v)\n got: %q\nwant: %q", tt.src, o, got, tt.want)
				}
			}
		})
	}
}

// TestMarkdownRemoves checks inputs by what must not survive, where the
// exact leftover text is not the point.
func TestMarkdownRemoves(t *testing.T) {
	tests := []struct {
		name, src string
		absent    []string
		present   []string
	}{
		{"script block", "<script>alert(1)</script>\n\nтекст", []string{"<script", "alert"}, []string{"текст"}},
		{"inline script", "до <script>alert(1)</script> после", []string{"<script", "</script"}, []string{"до", "после"}},
		{"img onerror", `<img src=x onerror="alert(1)">`, []string{"<img", "onerror"}, nil},
		{"inline img onerror", `текст <img src=/a.png onerror=alert(1)>`, []string{"<img", "onerror"}, []string{"текст"}},
		{"iframe", `<iframe src="https://evil.example"></iframe>`, []string{"iframe", "evil.example"}, nil},
		{"svg onload", `<svg onload=alert(1)><circle r=1></svg>`, []string{"svg", "onload", "circle"}, nil},
		{"inline svg onload", `текст <svg onload=alert(1)>`, []string{"svg", "onload"}, []string{"текст"}},
		{"style element", "<style>body{display:none}</style>", []string{"<style", "display"}, nil},
		{"form", `<form action=/x><input name=a></form>`, []string{"form", "input"}, nil},
		{"html comment", "до <!-- тайна --> после", []string{"<!--", "тайна"}, []string{"до", "после"}},
		{"onclick on allowed tag", `<b onclick="alert(1)">жирный</b>`, []string{"onclick", "<b"}, []string{"жирный"}},
		{"data link", "[x](data:text/html;base64,PHNjcmlwdD4=)", []string{"<a", "data:"}, []string{"x"}},
		{"vbscript link", "[x](vbscript:msgbox(1))", []string{"<a", "vbscript"}, []string{"x"}},
		{"mixed case javascript", "[x](JaVaScRiPt:alert(1))", []string{"<a", "alert"}, []string{"x"}},
		{"entity-encoded colon", "[x](javascript&#58;alert(1))", []string{"<a", "alert"}, []string{"x"}},
		{"tab inside scheme", "[x](java&#9;script:alert(1))", []string{"<a"}, []string{"x"}},
		{"angle-bracket destination", "[x](<javascript:alert(1)>)", []string{"<a"}, []string{"x"}},
		{"reference definition", "[x][r]\n\n[r]: javascript:alert(1)", []string{"<a", "alert"}, []string{"x"}},
		{"file link", "[x](file:///etc/passwd)", []string{"<a", "passwd"}, []string{"x"}},
		{"empty destination", "[x]()", []string{"<a"}, []string{"x"}},
		{"link title dropped", `[x](/a "заголовок")`, []string{"title="}, []string{`href="/a"`}},
		{"code class dropped", "```go\nfmt.Println()\n```", []string{"class="}, []string{"<pre><code>fmt.Println()"}},
		{"table alignment style dropped", "| a |\n|:-:|\n| 1 |", []string{"style", "align"}, []string{"<th>a</th>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(Markdown(tt.src))
			for _, s := range tt.absent {
				if strings.Contains(got, s) {
					t.Errorf("Markdown(%q) = %q, contains %q", tt.src, got, s)
				}
			}
			for _, s := range tt.present {
				if !strings.Contains(got, s) {
					t.Errorf("Markdown(%q) = %q, lacks %q", tt.src, got, s)
				}
			}
			if err := checkArticleHTML(got); err != nil {
				t.Errorf("Markdown(%q) = %q: %v", tt.src, got, err)
			}
		})
	}
}

func TestArticleTurns(t *testing.T) {
	const (
		div  = "<div class=\"interview\">\n"
		end  = "</div>\n"
		q    = `<p class="turn turn-q">— `
		a    = `<p class="turn turn-a">— `
		endP = "</p>\n"
	)
	var (
		interview = Options{Interview: true}
		plain     = Options{}
	)
	tests := []struct {
		name, src string
		o         Options
		want      string
	}{
		{
			name: "hyphen turns, loose list",
			o:    interview,
			src:  "- Как вы уехали?\n\n- Ночью, через границу.",
			want: div + q + "Как вы уехали?" + endP + a + "Ночью, через границу." + endP + end,
		},
		{
			name: "hyphen turns, tight list",
			o:    interview,
			src:  "- Как вы уехали?\n- Ночью.",
			want: div + q + "Как вы уехали?" + endP + a + "Ночью." + endP + end,
		},
		{
			name: "hyphen list outside an interview stays a list",
			o:    plain,
			src:  "- яблоки\n- груши",
			want: "<ul>\n<li>яблоки</li>\n<li>груши</li>\n</ul>\n",
		},
		{
			name: "loose hyphen list outside an interview stays a list",
			o:    plain,
			src:  "Купить:\n\n- яблоки\n\n- груши",
			want: "<p>Купить:</p>\n<ul>\n<li>\n<p>яблоки</p>\n</li>\n<li>\n<p>груши</p>\n</li>\n</ul>\n",
		},
		{
			name: "hyphen and no-break space outside an interview is a paragraph",
			o:    plain,
			src:  "-\u00a0Ответ.",
			want: "<p>-\u00a0Ответ.</p>\n",
		},
		{
			name: "star list in an interview stays a list",
			o:    interview,
			src:  "— Что взяли?\n\n* паспорт\n* ноутбук",
			want: div + q + "Что взяли?" + endP + end + "<ul>\n<li>паспорт</li>\n<li>ноутбук</li>\n</ul>\n",
		},
		{
			name: "plus list in an interview stays a list",
			o:    interview,
			src:  "+ паспорт\n+ ноутбук",
			want: "<ul>\n<li>паспорт</li>\n<li>ноутбук</li>\n</ul>\n",
		},
		{
			name: "direct speech opened with an em dash outside an interview is a paragraph",
			o:    plain,
			src:  "— Мы не уйдём, — сказал он.\n\n— Посмотрим, — ответили ему.",
			want: "<p>— Мы не уйдём, — сказал он.</p>\n<p>— Посмотрим, — ответили ему.</p>\n",
		},
		{
			name: "en dash paragraphs outside an interview are paragraphs",
			o:    plain,
			src:  "– Как вы уехали?\n\n– Ночью.",
			want: "<p>– Как вы уехали?</p>\n<p>– Ночью.</p>\n",
		},
		{
			name: "en dash turns in an interview",
			o:    interview,
			src:  "– Как вы уехали?\n\n– Ночью.",
			want: div + q + "Как вы уехали?" + endP + a + "Ночью." + endP + end,
		},
		{
			name: "em dash turns in an interview",
			o:    interview,
			src:  "— Как вы уехали?\n\n— Ночью.",
			want: div + q + "Как вы уехали?" + endP + a + "Ночью." + endP + end,
		},
		{
			name: "a hyphen list between dash paragraphs outside an interview is a list",
			o:    plain,
			src:  "— Что взяли?\n\n- паспорт\n- ноутбук\n\n— Немного.",
			want: "<p>— Что взяли?</p>\n<ul>\n<li>паспорт</li>\n<li>ноутбук</li>\n</ul>\n<p>— Немного.</p>\n",
		},
		{
			name: "mixed dashes form one interview",
			o:    interview,
			src:  "- Первый вопрос?\n\n– Первый ответ.\n\n— Второй вопрос?",
			want: div + q + "Первый вопрос?" + endP + a + "Первый ответ." + endP + q + "Второй вопрос?" + endP + end,
		},
		{
			name: "no-break space after the dash",
			o:    interview,
			src:  "—\u00a0Вопрос?\n\n-\u00a0Ответ.",
			want: div + q + "Вопрос?" + endP + a + "Ответ." + endP + end,
		},
		{
			name: "one turn per line without blank lines",
			o:    interview,
			src:  "— Вопрос?\n— Ответ.\n— Ещё вопрос?",
			want: div + q + "Вопрос?" + endP + a + "Ответ." + endP + q + "Ещё вопрос?" + endP + end,
		},
		{
			name: "a hyphen line splits a turn only in an interview",
			o:    interview,
			src:  "— Вопрос?\n-\u00a0Ответ.",
			want: div + q + "Вопрос?" + endP + a + "Ответ." + endP + end,
		},

		{
			name: "a continuation line without a dash stays in the turn",
			o:    interview,
			src:  "— Длинный\nвопрос?\n\n— Ответ.",
			want: div + q + "Длинный\nвопрос?" + endP + a + "Ответ." + endP + end,
		},
		{
			name: "a plain paragraph ends the block and the next block starts with a question",
			o:    interview,
			src:  "— Вопрос?\n\n(Долгая пауза.)\n\n— Ответ.\n\n— Следующий вопрос?",
			want: div + q + "Вопрос?" + endP + end +
				"<p>(Долгая пауза.)</p>\n" +
				div + q + "Ответ." + endP + a + "Следующий вопрос?" + endP + end,
		},
		{
			name: "two separate hyphen lists each start with a question",
			o:    interview,
			src:  "- В1?\n- О1.\n- В2?\n\nПауза.\n\n- В3?\n- О3.",
			want: div + q + "В1?" + endP + a + "О1." + endP + q + "В2?" + endP + end +
				"<p>Пауза.</p>\n" +
				div + q + "В3?" + endP + a + "О3." + endP + end,
		},
		{
			name: "a heading between exchanges",
			o:    interview,
			src:  "— В1?\n\n— О1.\n\n— В2?\n\n## Часть 2\n\n— В3?\n\n— О3.",
			want: div + q + "В1?" + endP + a + "О1." + endP + q + "В2?" + endP + end +
				"<h2>Часть 2</h2>\n" +
				div + q + "В3?" + endP + a + "О3." + endP + end,
		},
		{
			name: "inline markdown inside turns",
			o:    interview,
			src:  "— *Почему* вы [здесь](https://example.org)?\n\n- **Потому что** `так`.",
			want: div + q + `<em>Почему</em> вы <a href="https://example.org" rel="noopener">здесь</a>?` + endP +
				a + "<strong>Потому что</strong> <code>так</code>." + endP + end,
		},
		{
			name: "star list between turns is a list and ends the block",
			o:    interview,
			src:  "— Что взяли с собой?\n\n* паспорт\n* ноутбук\n\n— Немного.",
			want: div + q + "Что взяли с собой?" + endP + end +
				"<ul>\n<li>паспорт</li>\n<li>ноутбук</li>\n</ul>\n" +
				div + q + "Немного." + endP + end,
		},
		{
			name: "fenced dash between turns stays code",
			o:    interview,
			src:  "— Вопрос?\n\n```\n— код\n```\n\n— Ответ.",
			want: div + q + "Вопрос?" + endP + end +
				"<pre><code>— код\n</code></pre>\n" +
				div + q + "Ответ." + endP + end,
		},
		{
			name: "turns inside a quote are an exchange of their own",
			o:    interview,
			src:  "— Вопрос?\n\n— Ответ.\n\n> — Цитата.\n>\n> — Ответ в цитате.",
			want: div + q + "Вопрос?" + endP + a + "Ответ." + endP + end +
				"<blockquote>\n" + div + q + "Цитата." + endP + a + "Ответ в цитате." + endP + end + "</blockquote>\n",
		},
		{
			name: "hyphen list in a quote outside an interview stays a list",
			o:    plain,
			src:  "> - один\n> - два",
			want: "<blockquote>\n<ul>\n<li>один</li>\n<li>два</li>\n</ul>\n</blockquote>\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := string(Article(tt.src, tt.o))
			if got != tt.want {
				t.Errorf("Article(%q, %+v)\n got: %q\nwant: %q", tt.src, tt.o, got, tt.want)
			}
			if err := checkArticleHTML(got); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestMarkdownHasNoTurns: static pages and settings are not dialogue,
// whatever dash a paragraph opens with.
func TestMarkdownHasNoTurns(t *testing.T) {
	for src, want := range map[string]string{
		"- один\n- два":    "<ul>\n<li>один</li>\n<li>два</li>\n</ul>\n",
		"— Мы — редакция.": "<p>— Мы — редакция.</p>\n",
		"– Адрес\n– Почта": "<p>– Адрес\n– Почта</p>\n",
	} {
		if got := string(Markdown(src)); got != want {
			t.Errorf("Markdown(%q)\n got: %q\nwant: %q", src, got, want)
		}
	}
}

func TestMarkdownInvalidUTF8(t *testing.T) {
	got := string(Markdown("до \xff\xfe после"))
	if !strings.Contains(got, "до \uFFFD после") {
		t.Errorf("got %q, want the invalid bytes replaced by U+FFFD", got)
	}
}

// TestMarkdownConcurrent lets the race detector check that the shared
// parser, transformer and policy hold no per-document state.
func TestMarkdownConcurrent(t *testing.T) {
	src := interviewArticle()
	options := []Options{{}, {Interview: true}}
	want := []template.HTML{Article(src, options[0]), Article(src, options[1])}
	if want[0] == want[1] {
		t.Fatal("the interview option changes nothing in an interview")
	}
	var wg sync.WaitGroup
	for i := range 8 {
		o := i % 2
		wg.Go(func() {
			for range 20 {
				if got := Article(src, options[o]); got != want[o] {
					t.Error("concurrent render differs from a sequential one")
					return
				}
				_ = ArticleExcerpt(src, 160, options[o])
			}
		})
	}
	wg.Wait()
}
