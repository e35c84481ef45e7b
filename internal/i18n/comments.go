package i18n

// The comment form, what readers are told after posting, and why a comment
// was refused, in every edition's language. Kept apart from the page
// strings because the intake's refusals are keys ("comment_error_" + key).
var commentStrings = map[string]map[string]string{
	"ru": {
		"comment_name":                   "Имя (необязательно)",
		"comment_text":                   "Комментарий",
		"comment_send":                   "Отправить",
		"comment_reply":                  "Ответить",
		"comment_replying":               "Ответ на комментарий",
		"comment_cancel_reply":           "Написать новый комментарий",
		"comment_report":                 "Пожаловаться",
		"comment_hint":                   "Без регистрации и электронной почты. Ссылки становятся кликабельными; не больше %d.",
		"comment_honeypot":               "Оставьте это поле пустым",
		"comment_published":              "Ваш комментарий опубликован.",
		"comment_pending":                "Ваш комментарий получен и появится после проверки модератором.",
		"comment_reported":               "Спасибо, модераторы посмотрят этот комментарий.",
		"comment_error_closed":           "Комментарии к этой статье закрыты.",
		"comment_error_form_expired":     "Страница устарела. Скопируйте свой текст, обновите страницу и отправьте его снова.",
		"comment_error_too_fast":         "Комментарий отправлен слишком быстро после открытия страницы. Подождите несколько секунд и отправьте снова.",
		"comment_error_too_long":         "Комментарий или имя слишком длинные: не больше 3000 знаков текста и 80 знаков имени.",
		"comment_error_empty":            "Напишите текст комментария.",
		"comment_error_too_many_links":   "В комментарии слишком много ссылок.",
		"comment_error_banned":           "Комментарии с вашего подключения временно не принимаются.",
		"comment_error_rate_fingerprint": "Вы отправили много комментариев за последний час. Попробуйте позже.",
		"comment_error_rate_article":     "К этой статье сейчас приходит слишком много комментариев. Попробуйте через минуту.",
		"comment_error_rejected_rule":    "Комментарий нарушает правила сайта и не принят.",
		"comment_error_no_parent":        "Комментарий, на который вы отвечаете, недоступен.",
		"comment_error_not_found":        "Статья не найдена.",
	},
	"be": {
		"comment_name":                   "Імя (неабавязкова)",
		"comment_text":                   "Каментар",
		"comment_send":                   "Адправіць",
		"comment_reply":                  "Адказаць",
		"comment_replying":               "Адказ на каментар",
		"comment_cancel_reply":           "Напісаць новы каментар",
		"comment_report":                 "Паскардзіцца",
		"comment_hint":                   "Без рэгістрацыі і электроннай пошты. Спасылкі становяцца актыўнымі; не больш за %d.",
		"comment_honeypot":               "Пакіньце гэтае поле пустым",
		"comment_published":              "Ваш каментар апублікаваны.",
		"comment_pending":                "Ваш каментар атрыманы і з’явіцца пасля праверкі мадэратарам.",
		"comment_reported":               "Дзякуй, мадэратары паглядзяць гэты каментар.",
		"comment_error_closed":           "Каментары да гэтага артыкула закрытыя.",
		"comment_error_form_expired":     "Старонка састарэла. Скапіюйце свой тэкст, абнавіце старонку і адпраўце яго зноў.",
		"comment_error_too_fast":         "Каментар адпраўлены занадта хутка пасля адкрыцця старонкі. Пачакайце некалькі секунд і адпраўце зноў.",
		"comment_error_too_long":         "Каментар або імя занадта доўгія: не больш за 3000 знакаў тэксту і 80 знакаў імя.",
		"comment_error_empty":            "Напішыце тэкст каментара.",
		"comment_error_too_many_links":   "У каментары занадта шмат спасылак.",
		"comment_error_banned":           "Каментары з вашага падключэння часова не прымаюцца.",
		"comment_error_rate_fingerprint": "Вы адправілі шмат каментароў за апошнюю гадзіну. Паспрабуйце пазней.",
		"comment_error_rate_article":     "Да гэтага артыкула зараз прыходзіць занадта шмат каментароў. Паспрабуйце праз хвіліну.",
		"comment_error_rejected_rule":    "Каментар парушае правілы сайта і не прыняты.",
		"comment_error_no_parent":        "Каментар, на які вы адказваеце, недаступны.",
		"comment_error_not_found":        "Артыкул не знойдзены.",
	},
	"en": {
		"comment_name":                   "Name (optional)",
		"comment_text":                   "Comment",
		"comment_send":                   "Send",
		"comment_reply":                  "Reply",
		"comment_replying":               "Replying to a comment",
		"comment_cancel_reply":           "Write a new comment instead",
		"comment_report":                 "Report",
		"comment_hint":                   "No account or e-mail needed. Links become clickable; at most %d.",
		"comment_honeypot":               "Leave this field empty",
		"comment_published":              "Your comment is published.",
		"comment_pending":                "Your comment was received and will appear once a moderator has checked it.",
		"comment_reported":               "Thank you; the moderators will look at this comment.",
		"comment_error_closed":           "Comments on this article are closed.",
		"comment_error_form_expired":     "This page is out of date. Copy your text, reload the page and send it again.",
		"comment_error_too_fast":         "The comment was sent too soon after the page opened. Wait a few seconds and send it again.",
		"comment_error_too_long":         "The comment or the name is too long: at most 3000 characters of text and 80 of name.",
		"comment_error_empty":            "Write the text of your comment.",
		"comment_error_too_many_links":   "The comment has too many links.",
		"comment_error_banned":           "Comments from your connection are not accepted for now.",
		"comment_error_rate_fingerprint": "You have sent many comments in the last hour. Please try later.",
		"comment_error_rate_article":     "This article is getting too many comments right now. Please try in a minute.",
		"comment_error_rejected_rule":    "The comment breaks the site's rules and was not accepted.",
		"comment_error_no_parent":        "The comment you are replying to is not available.",
		"comment_error_not_found":        "The article was not found.",
	},
}

func init() {
	for code, strs := range commentStrings {
		for k, v := range strs {
			languages[code].strings[k] = v
		}
	}
}
