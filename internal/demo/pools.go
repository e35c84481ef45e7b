package demo

// The pools Generate composes bylines and bodies from. Every name,
// organisation and quote here is invented.

var editorial = L{"Редакция", "Рэдакцыя", "Editorial staff"}

var staff = []L{
	{"Анна Мельник", "Ганна Мельнік", "Hanna Melnik"},
	{"Павел Гришин", "Павел Грышын", "Pavel Grishin"},
	{"Ксения Туровская", "Ксенія Тураўская", "Ksenia Turovskaya"},
	{"Алесь Ждан", "Алесь Ждан", "Ales Zhdan"},
	{"Дмитрий Левченко", "Дзмітрый Леўчанка", "Dmitry Levchenko"},
	{"Юлия Кравец", "Юлія Кравец", "Yulia Kravets"},
	{"Игорь Станкевич", "Ігар Станкевіч", "Ihar Stankevich"},
	{"Светлана Орлова", "Святлана Арлова", "Svetlana Orlova"},
}

// sources are the invented agencies and outlets credited in Source.
var sources = []L{
	{"Агентство «Полесье-Информ»", "Агенцтва «Палессе-Інфарм»", "Polesie-Inform agency"},
	{"Восточный курьер", "Усходні кур'ер", "Eastern Courier"},
	{"Меридиан-24", "Мерыдыян-24", "Meridian-24"},
	{"Висла-Пресс", "Вісла-Прэс", "Vistula Press"},
	{"Северная хроника", "Паўночная хроніка", "Northern Chronicle"},
}

var tagNames = map[string]L{
	"kireyenko":      {"Павел Киреенко", "Павел Кірэенка", "Pavel Kireyenko"},
	"lapitskaya":     {"Ирина Лапицкая", "Ірына Лапіцкая", "Iryna Lapitskaya"},
	"gomel":          {"Гомель", "Гомель", "Gomel"},
	"minsk":          {"Минск", "Мінск", "Minsk"},
	"brest":          {"Брест", "Брэст", "Brest"},
	"grodno":         {"Гродно", "Гродна", "Grodno"},
	"vitebsk":        {"Витебск", "Віцебск", "Vitebsk"},
	"mogilev":        {"Могилёв", "Магілёў", "Mogilev"},
	"vilnius":        {"Вильнюс", "Вільнюс", "Vilnius"},
	"warsaw":         {"Варшава", "Варшава", "Warsaw"},
	"lithuania":      {"Литва", "Літва", "Lithuania"},
	"poland":         {"Польша", "Польшча", "Poland"},
	"ukraine":        {"Украина", "Украіна", "Ukraine"},
	"finland":        {"Финляндия", "Фінляндыя", "Finland"},
	"kazakhstan":     {"Казахстан", "Казахстан", "Kazakhstan"},
	"serbia":         {"Сербия", "Сербія", "Serbia"},
	"georgia":        {"Грузия", "Грузія", "Georgia"},
	"eu":             {"Евросоюз", "Еўрасаюз", "European Union"},
	"courts":         {"суды", "суды", "courts"},
	"journalists":    {"журналисты", "журналісты", "journalists"},
	"press":          {"свобода слова", "свабода слова", "press freedom"},
	"prisoners":      {"политзаключённые", "палітвязні", "political prisoners"},
	"repression":     {"репрессии", "рэпрэсіі", "repression"},
	"human-rights":   {"права человека", "правы чалавека", "human rights"},
	"censorship":     {"цензура", "цэнзура", "censorship"},
	"foreign-agents": {"иноагенты", "іншаземныя агенты", "foreign agents"},
	"exile":          {"эмиграция", "эміграцыя", "emigration"},
	"migration":      {"миграционные правила", "міграцыйныя правілы", "residence permits"},
	"borders":        {"границы", "межы", "borders"},
	"sanctions":      {"санкции", "санкцыі", "sanctions"},
	"drones":         {"дроны", "дроны", "drones"},
	"investigations": {"расследования", "расследаванні", "investigations"},
	"mobilization":   {"мобилизация", "мабілізацыя", "mobilisation"},
	"army":           {"армия", "армія", "army"},
	"pow":            {"военнопленные", "ваеннапалонныя", "prisoners of war"},
	"internet":       {"интернет", "інтэрнэт", "internet"},
	"regions":        {"регионы", "рэгіёны", "regions"},
	"elections":      {"выборы", "выбары", "elections"},
	"prices":         {"цены", "цэны", "prices"},
	"budget":         {"бюджет", "бюджэт", "budget"},
	"rouble":         {"рубль", "рубель", "rouble"},
	"business":       {"бизнес", "бізнес", "business"},
	"family":         {"семья", "сям'я", "family"},
	"children":       {"дети", "дзеці", "children"},
	"education":      {"образование", "адукацыя", "education"},
	"language":       {"белорусский язык", "беларуская мова", "Belarusian language"},
	"health":         {"здравоохранение", "ахова здароўя", "healthcare"},
	"volunteers":     {"волонтёры", "валанцёры", "volunteers"},
	"weather":        {"непогода", "непагадзь", "storms"},
	"theatre":        {"театр", "тэатр", "theatre"},
	"books":          {"книги", "кнігі", "books"},
	"film":           {"кино", "кіно", "film"},
	"music":          {"музыка", "музыка", "music"},
}

type expert struct{ name, role L }

// fieldOf maps a primary category to the experts and quotes that fit it.
var fieldOf = map[string]string{
	"belarus":  "pol",
	"russia":   "pol",
	"politics": "pol",
	"world":    "intl",
	"economy":  "eco",
	"society":  "soc",
	"war":      "mil",
	"culture":  "cult",
}

var experts = map[string][]expert{
	"pol": {
		{L{"Андрей Лозовский", "Андрэй Лазоўскі", "Andrei Lazouski"},
			L{"политолог аналитического центра «Балтийская перспектива»", "палітолаг аналітычнага цэнтра «Балтыйская перспектыва»", "a political scientist at the Baltic Perspective think tank"}},
		{L{"Вера Мицкевич", "Вера Міцкевіч", "Vera Mitskevich"},
			L{"исследовательница Института Восточной Европы в Вильнюсе", "даследчыца Інстытута Усходняй Еўропы ў Вільнюсе", "a researcher at the Institute of Eastern Europe in Vilnius"}},
		{L{"Глеб Аверин", "Глеб Аверын", "Gleb Averin"},
			L{"бывший дипломат, эксперт фонда «Новая повестка»", "былы дыпламат, эксперт фонду «Новы парадак дня»", "a former diplomat and an analyst with the New Agenda Foundation"}},
	},
	"intl": {
		{L{"Глеб Аверин", "Глеб Аверын", "Gleb Averin"},
			L{"бывший дипломат, эксперт фонда «Новая повестка»", "былы дыпламат, эксперт фонду «Новы парадак дня»", "a former diplomat and an analyst with the New Agenda Foundation"}},
		{L{"Лина Вайткуте", "Ліна Вайткутэ", "Lina Vaitkute"},
			L{"исследовательница миграции из Каунаса", "даследчыца міграцыі з Каўнаса", "a migration researcher based in Kaunas"}},
	},
	"eco": {
		{L{"Ольга Жук", "Вольга Жук", "Volha Zhuk"},
			L{"экономист группы «Балтийский экономический монитор»", "эканамістка групы «Балтыйскі эканамічны манітор»", "an economist with the Baltic Economic Monitor group"}},
		{L{"Денис Гуревич", "Дзяніс Гурэвіч", "Denis Gurevich"},
			L{"бывший аналитик крупного банка, ныне независимый экономист", "былы аналітык буйнога банка, цяпер незалежны эканаміст", "a former bank analyst, now an independent economist"}},
	},
	"soc": {
		{L{"Марина Ковальчук", "Марына Кавальчук", "Maryna Kavalchuk"},
			L{"социолог лаборатории «Пульс»", "сацыёлаг лабараторыі «Пульс»", "a sociologist at the Puls lab"}},
		{L{"Тимур Абдуллаев", "Цімур Абдулаеў", "Timur Abdullaev"},
			L{"юрист правозащитной инициативы «Право на голос»", "юрыст праваабарончай ініцыятывы «Права на голас»", "a lawyer with the Right to a Voice human rights initiative"}},
	},
	"mil": {
		{L{"Кирилл Дроздов", "Кірыл Драздоў", "Kirill Drozdov"},
			L{"военный аналитик, бывший офицер", "ваенны аналітык, былы афіцэр", "a military analyst and former officer"}},
		{L{"Наталья Рудая", "Наталля Рудая", "Natalia Rudaya"},
			L{"аналитик проекта «Открытый след», отслеживающего военные поставки", "аналітык праекта «Адкрыты след», які адсочвае ваенныя пастаўкі", "an analyst with Open Trace, a project that tracks military supplies"}},
	},
	"cult": {
		{L{"Янина Сорока", "Яніна Сарока", "Yanina Saroka"},
			L{"культуролог", "культуролаг", "a cultural historian"}},
		{L{"Михаил Бельский", "Міхаіл Бельскі", "Mikhail Belsky"},
			L{"основатель независимого издательства «Кругозор»", "заснавальнік незалежнага выдавецтва «Кругагляд»", "the founder of the independent publisher Krugozor"}},
	},
}

func expertsByField(f string) []expert { return experts[f] }

var quoteVerbs = []L{
	{"говорит", "кажа", "says"},
	{"считает", "лічыць", "argues"},
	{"отмечает", "адзначае", "notes"},
	{"поясняет", "тлумачыць", "explains"},
}

// quotes are written without the final full stop; quoteText adds it.
var quotes = map[string][]L{
	"pol": {
		{"Решения такого рода принимаются не в судах и не в министерствах, а гораздо выше — и почти никогда не объясняются публично",
			"Рашэнні такога кшталту прымаюцца не ў судах і не ў міністэрствах, а значна вышэй — і амаль ніколі не тлумачацца публічна",
			"Decisions like this are not made in the courts or the ministries but much higher up — and they are almost never explained in public"},
		{"Важно смотреть не на заявления, а на то, что меняется в жизни обычных людей. Пока изменений к лучшему там не видно",
			"Важна глядзець не на заявы, а на тое, што мяняецца ў жыцці звычайных людзей. Пакуль змен да лепшага там не відаць",
			"What matters is not the statements but what changes in ordinary people’s lives. So far there is no change for the better"},
		{"Система давно работает так, что чиновнику проще перестраховаться, чем объяснять начальству, почему он не проявил бдительность",
			"Сістэма даўно працуе так, што чыноўніку прасцей перастрахавацца, чым тлумачыць начальству, чаму ён не праявіў пільнасць",
			"The system has long worked in such a way that it is easier for an official to play it safe than to explain to his superiors why he was not vigilant"},
		{"Подобные истории почти никогда не остаются единичными. Как правило, это сигнал, что похожие решения скоро появятся и в других местах",
			"Падобныя гісторыі амаль ніколі не застаюцца адзінкавымі. Як правіла, гэта сігнал, што падобныя рашэнні хутка з'явяцца і ў іншых месцах",
			"Stories like this are almost never one-offs. As a rule, they signal that similar decisions will soon appear elsewhere"},
	},
	"intl": {
		{"Европейские столицы давно ищут баланс между безопасностью и гуманитарными обязательствами, и каждый такой шаг показывает, куда этот баланс смещается",
			"Еўрапейскія сталіцы даўно шукаюць баланс паміж бяспекай і гуманітарнымі абавязальніцтвамі, і кожны такі крок паказвае, куды гэты баланс зрушваецца",
			"European capitals have long been looking for a balance between security and humanitarian obligations, and every step like this shows which way that balance is shifting"},
		{"Для людей, которые уехали, подобные решения значат больше, чем любые заявления дипломатов: от них зависит, смогут ли они спокойно жить и работать",
			"Для людзей, якія з'ехалі, падобныя рашэнні значаць больш, чым любыя заявы дыпламатаў: ад іх залежыць, ці змогуць яны спакойна жыць і працаваць",
			"For people who have left, decisions like this mean more than any diplomatic statement: they decide whether they can live and work in peace"},
		{"Это решение не стоит переоценивать, но и игнорировать его нельзя: правила меняются быстрее, чем люди успевают к ним привыкнуть",
			"Гэтае рашэнне не варта пераацэньваць, але і ігнараваць яго нельга: правілы мяняюцца хутчэй, чым людзі паспяваюць да іх прызвычаіцца",
			"This decision should not be overestimated, but it cannot be ignored either: the rules are changing faster than people can get used to them"},
	},
	"eco": {
		{"Цифры выглядят спокойно только на первый взгляд. Если убрать разовые факторы, картина получается заметно хуже",
			"Лічбы выглядаюць спакойна толькі на першы погляд. Калі прыбраць аднаразовыя фактары, карціна атрымліваецца значна горшая",
			"The figures look calm only at first glance. Take out the one-off factors and the picture is noticeably worse"},
		{"Домохозяйства первыми чувствуют такие изменения: сначала сокращаются покупки не первой необходимости, потом — сбережения",
			"Хатнія гаспадаркі першымі адчуваюць такія змены: спачатку скарачаюцца пакупкі не першай неабходнасці, потым — зберажэнні",
			"Households feel changes like this first: non-essential purchases go first, then savings"},
		{"Бюджет всё сильнее зависит от военных расходов, и платить за это приходится всем остальным статьям — от дорог до больниц",
			"Бюджэт усё мацней залежыць ад ваенных выдаткаў, і плаціць за гэта даводзіцца ўсім астатнім артыкулам — ад дарог да бальніц",
			"The budget depends more and more on military spending, and every other item pays for it, from roads to hospitals"},
		{"Рынок быстро приспосабливается к ограничениям, но каждое такое приспособление делает экономику дороже и менее эффективной",
			"Рынак хутка прыстасоўваецца да абмежаванняў, але кожнае такое прыстасаванне робіць эканоміку даражэйшай і менш эфектыўнай",
			"The market adapts quickly to restrictions, but every adaptation makes the economy more expensive and less efficient"},
	},
	"soc": {
		{"Люди привыкают жить в постоянной неопределённости, но это привыкание даётся очень дорогой ценой, прежде всего психологически",
			"Людзі прызвычайваюцца жыць у пастаяннай нявызначанасці, але гэтае прызвычаенне даецца вельмі дарагой цаной, перадусім псіхалагічна",
			"People get used to living with constant uncertainty, but that comes at a very high price, above all a psychological one"},
		{"Солидарность никуда не исчезла, она просто ушла в тень: люди помогают друг другу тихо, без публичности",
			"Салідарнасць нікуды не знікла, яна проста сышла ў цень: людзі дапамагаюць адно аднаму ціха, без публічнасці",
			"Solidarity has not gone anywhere, it has just gone into the shadows: people help each other quietly, without publicity"},
		{"Государство всё чаще перекладывает свои обязанности на самих граждан и волонтёров — и при этом ещё и контролирует, как они помогают друг другу",
			"Дзяржава ўсё часцей перакладае свае абавязкі на саміх грамадзян і валанцёраў — і пры гэтым яшчэ і кантралюе, як яны дапамагаюць адно аднаму",
			"The state increasingly shifts its duties onto citizens and volunteers — and then also controls how they help each other"},
	},
	"mil": {
		{"Сами по себе такие события редко меняют ситуацию на фронте, но многое говорят о том, к чему готовятся стороны",
			"Самі па сабе такія падзеі рэдка мяняюць сітуацыю на фронце, але шмат кажуць пра тое, да чаго рыхтуюцца бакі",
			"On their own, events like this rarely change the situation at the front, but they say a lot about what the sides are preparing for"},
		{"Открытых данных становится всё меньше, поэтому каждый проверенный факт здесь на вес золота",
			"Адкрытых дадзеных становіцца ўсё менш, таму кожны правераны факт тут на вагу золата",
			"There is less and less open data, so every verified fact is worth its weight in gold"},
		{"Армия по-прежнему решает проблему нехватки людей деньгами и давлением, и пока у неё хватает и того и другого",
			"Армія па-ранейшаму вырашае праблему недахопу людзей грашыма і ціскам, і пакуль у яе хапае і таго і другога",
			"The army still solves its manpower problem with money and pressure, and for now it has enough of both"},
	},
	"cult": {
		{"Культура в эмиграции перестала быть ностальгией. Это уже самостоятельная среда со своими залами, зрителями и спорами",
			"Культура ў эміграцыі перастала быць настальгіяй. Гэта ўжо самастойнае асяроддзе са сваімі заламі, гледачамі і спрэчкамі",
			"Culture in exile is no longer nostalgia. It is an independent world with its own venues, audiences and arguments"},
		{"Запреты работают как реклама: чем длиннее список, тем больше людей интересуется тем, что в него попало",
			"Забароны працуюць як рэклама: чым даўжэйшы спіс, тым больш людзей цікавіцца тым, што ў яго трапіла",
			"Bans work like advertising: the longer the list, the more people want to know what is on it"},
		{"Тем, кто остался дома, сейчас сложнее всего: они работают без публики и без права на ошибку",
			"Тым, хто застаўся дома, цяпер складаней за ўсё: яны працуюць без публікі і без права на памылку",
			"Those who stayed at home have it hardest: they work without an audience and without the right to make a mistake"},
	},
}

var headings = []L{
	{"Контекст", "Кантэкст", "Context"},
	{"Что этому предшествовало", "Што гэтаму папярэднічала", "What came before"},
	{"Почему это важно", "Чаму гэта важна", "Why it matters"},
	{"Что происходит", "Што адбываецца", "The bigger picture"},
}
