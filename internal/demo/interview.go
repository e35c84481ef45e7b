package demo

import (
	"strings"

	"tamizdat/internal/news"
)

// interviewStory is the interview in the dash format, republished from a
// partner outlet in all three editions.
var interviewStory = story{
	key:    "interview",
	cats:   []string{"interview", "politics"},
	tags:   []string{"lapitskaya", "prisoners", "sanctions"},
	linked: true,
	source: 2, // Eastern Courier
	// Its turns open with a hyphen in the ru and en editions, which only
	// an article marked as an interview reads as turns.
	interview: true,
	title: L{
		"Ирина Лапицкая: «Освобождения — это не оттепель, а бухгалтерия»",
		"Ірына Лапіцкая: «Вызваленні — гэта не адліга, а бухгалтэрыя»",
		"Iryna Lapitskaya: ‘The releases are not a thaw, they are bookkeeping’",
	},
	lead: L{
		"Политический аналитик агентства «Меридиан-24» — о том, почему политзаключённых освобождают небольшими группами, чего ждать эмигрантам и стоит ли верить разговорам о переменах.",
		"Палітычны аналітык агенцтва «Мерыдыян-24» — пра тое, чаму палітвязняў вызваляюць невялікімі групамі, чаго чакаць эмігрантам і ці варта верыць размовам пра перамены.",
		"The Meridian-24 political analyst on why political prisoners are being freed in small groups, what exiles should expect, and whether talk of change should be believed.",
	},
}

// interviewDash starts every turn of speech: a hyphen in the ru and en
// editions, an en dash in the be one.
var interviewDash = L{"- ", "– ", "- "}

var interviewIntro = []L{
	{"Ирина Лапицкая — политический аналитик информационного агентства «Меридиан-24». До 2021 года она преподавала сравнительную политологию в Минске, сейчас живёт в Варшаве. Мы поговорили с ней о последних освобождениях политзаключённых и о том, что они говорят о планах властей.",
		"Ірына Лапіцкая — палітычны аналітык інфармацыйнага агенцтва «Мерыдыян-24». Да 2021 года яна выкладала параўнальную паліталогію ў Мінску, цяпер жыве ў Варшаве. Мы пагаварылі з ёй пра апошнія вызваленні палітвязняў і пра тое, што яны кажуць пра планы ўладаў.",
		"Iryna Lapitskaya is a political analyst at the Meridian-24 news agency. Until 2021 she taught comparative politics in Minsk; she now lives in Warsaw. We spoke to her about the latest releases of political prisoners and what they say about the authorities’ plans."},
}

// interviewTurns alternate: a question by the outlet, then the guest's answer.
var interviewTurns = []L{
	{"За последние месяцы на свободу вышли несколько групп политзаключённых. Можно ли говорить о смене курса?",
		"За апошнія месяцы на волю выйшлі некалькі груп палітвязняў. Ці можна казаць пра змену курсу?",
		"Several groups of political prisoners have been freed in recent months. Is this a change of course?"},
	{"Нет, и я бы осторожно обращалась с этим словом. Одновременно с освобождениями идут задержания: за тот же период за решётку попало больше людей, чем вышло. Это не оттепель, а бухгалтерия — выпускают ровно столько, сколько нужно для конкретного разговора с конкретным партнёром.",
		"Не, і я б асцярожна абыходзілася з гэтым словам. Адначасова з вызваленнямі ідуць затрыманні: за той жа перыяд за краты трапіла больш людзей, чым выйшла. Гэта не адліга, а бухгалтэрыя — выпускаюць роўна столькі, колькі трэба для канкрэтнай размовы з канкрэтным партнёрам.",
		"No, and I would be careful with that word. Arrests continue alongside the releases: over the same period more people were jailed than freed. This is not a thaw, it is bookkeeping — they release exactly as many people as a particular conversation with a particular partner requires."},
	{"О каком разговоре идёт речь?",
		"Пра якую размову ідзе гаворка?",
		"What conversation do you mean?"},
	{"Прежде всего о смягчении части санкций и о возвращении дипломатических контактов. Каждое освобождение — аванс, за который ждут ответного шага. Если шага нет, пауза может длиться месяцами.",
		"Перадусім пра змякчэнне часткі санкцый і пра вяртанне дыпламатычных кантактаў. Кожнае вызваленне — аванс, за які чакаюць адказнага кроку. Калі кроку няма, паўза можа доўжыцца месяцамі.",
		"Above all, easing some of the sanctions and restoring diplomatic contacts. Every release is an advance payment, and a step in return is expected. If there is no step, the pause can last for months."},
	{"Почему большинство освобождённых сразу вывозят из страны?",
		"Чаму большасць вызваленых адразу вывозяць з краіны?",
		"Why are most of those released taken straight out of the country?"},
	{"Потому что свободный человек внутри страны опасен: он может рассказать, что видел в колонии, встретиться с семьями других заключённых. За границей его голос, как считают власти, звучит тише. Кроме того, это сигнал остальным: свобода возможна только вместе с изгнанием.",
		"Таму што вольны чалавек унутры краіны небяспечны: ён можа расказаць, што бачыў у калоніі, сустрэцца з сем'ямі іншых зняволеных. За мяжой яго голас, як лічаць улады, гучыць цішэй. Акрамя таго, гэта сігнал астатнім: воля магчымая толькі разам з выгнаннем.",
		"Because a free person inside the country is dangerous: he can tell people what he saw in the colony and meet the families of other prisoners. Abroad, the authorities believe, his voice is quieter. It is also a signal to everyone else: freedom comes only together with exile."},
	{"Что эти освобождения значат для эмигрантов, которые мечтают вернуться?",
		"Што гэтыя вызваленні значаць для эмігрантаў, якія мараць вярнуцца?",
		"What do these releases mean for exiles who dream of going home?"},
	{"Пока ничего. Ни одно уголовное дело против уехавших не закрыто, списки «экстремистов» растут. Я бы советовала не строить планов на слухах и смотреть на документы: амнистия, изменения в законах, официальные гарантии. Ничего этого пока нет.",
		"Пакуль нічога. Ніводная крымінальная справа супраць тых, хто з'ехаў, не закрытая, спісы «экстрэмістаў» растуць. Я б раіла не будаваць планаў на чутках і глядзець на дакументы: амністыя, змены ў законах, афіцыйныя гарантыі. Нічога гэтага пакуль няма.",
		"Nothing yet. Not a single criminal case against those who left has been closed, and the lists of “extremists” keep growing. I would advise people not to make plans based on rumours and to look at documents instead: an amnesty, changes in the law, official guarantees. None of that exists yet."},
	{"Может ли внешнее давление ускорить процесс?",
		"Ці можа знешні ціск паскорыць працэс?",
		"Can outside pressure speed things up?"},
	{"Может, но только если оно последовательное. Как только партнёры начинают спорить между собой, цена каждого освобождения растёт. Лучшее, что могут сделать европейские правительства, — договориться о понятных условиях и не отступать от них.",
		"Можа, але толькі калі ён паслядоўны. Як толькі партнёры пачынаюць спрачацца паміж сабой, цана кожнага вызвалення расце. Найлепшае, што могуць зрабіць еўрапейскія ўрады, — дамовіцца пра зразумелыя ўмовы і не адступаць ад іх.",
		"It can, but only if it is consistent. As soon as partners start arguing among themselves, the price of every release goes up. The best thing European governments can do is agree on clear conditions and stick to them."},
}

var interviewClosing = L{
	"Интервью впервые опубликовано изданием «Восточный курьер». Публикуется с разрешения редакции в сокращении.",
	"Інтэрв'ю ўпершыню апублікавала выданне «Усходні кур'ер». Публікуецца з дазволу рэдакцыі ў скарочаным выглядзе.",
	"First published by Eastern Courier. Republished in abridged form with permission.",
}

func interviewBody(e int) string {
	var blocks []string
	for _, p := range interviewIntro {
		blocks = append(blocks, p[e])
	}
	for _, t := range interviewTurns {
		blocks = append(blocks, interviewDash[e]+t[e])
	}
	blocks = append(blocks, interviewClosing[e])
	return strings.Join(blocks, "\n\n")
}

// interviewThread is the English interview's comments: twelve published and
// one waiting for a moderator, in the order they were written.
var interviewThread = []struct {
	key, parent, name, body string
	status                  news.CommentStatus
}{
	{"c1", "", "Anna", "Very clear analysis. “Bookkeeping” is exactly the right word.", news.CommentPublished},
	{"c2", "", "Tomasz", "Does anyone know whether the people released last month were allowed to keep their passports?", news.CommentPublished},
	{"c3", "c2", "Olena from Kraków", "From what I heard, most were taken straight to the border without documents. It took weeks to sort out papers in Vilnius.", news.CommentPublished},
	{"c4", "", "J. Walsh", "I would like to hear more about what European governments are actually offering in exchange.", news.CommentPublished},
	{"c5", "", "", "My uncle is still inside. Every time there is a release we hope to see his name. Thank you for covering this carefully.", news.CommentPublished},
	{"c6", "c5", "Katya", "Sending strength to your family.", news.CommentPublished},
	{"c7", "", "Peter", "The point about pauses and disagreements between partners is important and rarely made.", news.CommentPublished},
	{"c8", "", "Dzmitry", "Interesting interview, but I think she underestimates how much the economy is pushing the regime to negotiate.", news.CommentPublished},
	{"c9", "c8", "Sam", "She does mention sanctions relief, though. I read it as the same argument.", news.CommentPublished},
	{"c10", "", "reader in Berlin", "Could you translate more interviews from Eastern Courier? Their analysis is rarely available in English.", news.CommentPublished},
	{"c11", "", "Greta", "Sharing this with my students in our course on authoritarian politics.", news.CommentPublished},
	{"c12", "c4", "Mark T.", "There was a good explainer on this a few weeks ago: https://example.org/en/explainers/sanctions-and-releases", news.CommentPublished},
	{"c13", "", "Lucy", "Will there be a follow-up with one of the people who were released?", news.CommentPending},
}
