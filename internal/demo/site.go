package demo

import (
	"time"

	"tamizdat/internal/news"
)

// SiteName is the invented outlet the demo shows.
const SiteName = "Dalny Bereg"

// onionURL is a made-up v3 address: 56 base32 characters ending in "d".
const onionURL = "http://dalnybereg4news7xq2m4kz6v3r5tjh2w6y4pl7c3xq5n6bfd2vhk4xd.onion"

func settings() []Setting {
	return []Setting{
		{"site_name", SiteName},
		{"time_zone", "Europe/Vilnius"},
		{"default_edition", "ru"},
		{"support_methods", `[` +
			`{"kind":"bank","label":"Bank transfer (EUR), VšĮ Dalny Bereg Media — demo account","value":"LT00 0000 0000 DEMO 0000 (not a real account)"},` +
			`{"kind":"crypto","label":"Bitcoin — demo address, do not send","value":"bc1qdemo0not0a0real0address0do0not0send00"},` +
			`{"kind":"crypto","label":"USDT (TRC-20) — demo address, do not send","value":"TDemoAddressNotRealDoNotSend0000000"},` +
			`{"kind":"link","label":"Card, PayPal or monthly subscription","value":"https://example.org/donate"}` +
			`]`},
		{"social_accounts", `[` +
			`{"network":"telegram","url":"https://example.com/telegram/dalnybereg"},` +
			`{"network":"youtube","url":"https://example.com/youtube/dalnybereg"},` +
			`{"network":"instagram","url":"https://example.com/instagram/dalnybereg"},` +
			`{"network":"x","url":"https://example.com/x/dalnybereg"},` +
			`{"network":"facebook","url":"https://example.com/facebook/dalnybereg"},` +
			`{"network":"mastodon","url":"https://example.com/mastodon/@dalnybereg"}` +
			`]`},
		{"mirror_urls", "https://bereg-mirror.example.net,https://db-reader.example.net"},
		{"onion_url", onionURL},
		{"access.ru", accessRU},
		{"access.be", accessBE},
		{"access.en", accessEN},
	}
}

const accessRU = `Если наш сайт не открывается, значит, его заблокировали у вас в стране или у вашего провайдера. Читать нас всё равно можно — вот несколько способов, от самого простого к самому надёжному.

**VPN.** Установите VPN-приложение на телефон и компьютер и включайте его, когда заходите на сайт. Выбирайте сервисы, которые не требуют регистрации по номеру телефона и не хранят журналы подключений. Бесплатные VPN часто продают данные пользователей — будьте осторожны.

**Tor Browser.** Скачайте Tor Browser с официального сайта проекта Tor и откройте наш адрес в сети Tor — он указан ниже. Так вы увидите сайт, даже если все обычные адреса заблокированы, а ваш провайдер не узнает, что именно вы читаете.

**Зеркала.** У нас есть несколько запасных адресов — зеркал. Когда один из них блокируют, мы запускаем новый. Сохраните список зеркал в заметках, чтобы не искать его в спешке.

**Канал в мессенджере и приложения.** Подпишитесь на наш канал в Telegram: туда приходят главные новости дня и новые адреса зеркал. Наши приложения для Android и iOS умеют сами переключаться на работающий адрес.

Не пересылайте ссылки на нас в открытых чатах с незнакомыми людьми и очищайте историю браузера, если телефон могут проверить.`

const accessBE = `Калі наш сайт не адкрываецца, значыць, яго заблакавалі ў вашай краіне або ў вашага правайдара. Чытаць нас усё роўна можна — вось некалькі спосабаў, ад самага простага да самага надзейнага.

**VPN.** Усталюйце VPN-праграму на тэлефон і камп'ютар і ўключайце яе, калі заходзіце на сайт. Выбірайце сэрвісы, якія не патрабуюць рэгістрацыі па нумары тэлефона і не захоўваюць журналы падключэнняў. Бясплатныя VPN часта прадаюць дадзеныя карыстальнікаў — будзьце асцярожныя.

**Tor Browser.** Спампуйце Tor Browser з афіцыйнага сайта праекта Tor і адкрыйце наш адрас у сетцы Tor — ён пазначаны ніжэй. Так вы ўбачыце сайт, нават калі ўсе звычайныя адрасы заблакаваныя, а ваш правайдар не даведаецца, што менавіта вы чытаеце.

**Люстэркі.** У нас ёсць некалькі запасных адрасоў — люстэркаў. Калі адно з іх блакуюць, мы запускаем новае. Захавайце спіс люстэркаў у нататках, каб не шукаць яго ў спешцы.

**Канал у мэсэнджары і праграмы.** Падпішыцеся на наш канал у Telegram: туды прыходзяць галоўныя навіны дня і новыя адрасы люстэркаў. Нашы праграмы для Android і iOS умеюць самі пераключацца на адрас, які працуе.

Не перасылайце спасылкі на нас у адкрытых чатах з незнаёмымі людзьмі і чысціце гісторыю браўзера, калі тэлефон могуць праверыць.`

const accessEN = `If our website does not open, it has been blocked in your country or by your internet provider. You can still read us — here are a few ways, from the simplest to the most robust.

**A VPN.** Install a VPN app on your phone and computer and switch it on when you visit the site. Choose services that do not ask for your phone number and do not keep connection logs. Free VPNs often sell their users’ data, so be careful.

**Tor Browser.** Download Tor Browser from the Tor Project’s official website and open our onion address, listed below. You will reach the site even when all the ordinary addresses are blocked, and your provider will not learn what you are reading.

**Mirrors.** We keep several spare addresses, called mirrors. When one is blocked, we launch another. Save the list of mirrors in your notes so you do not have to search for it in a hurry.

**Our messenger channel and apps.** Subscribe to our Telegram channel: it carries the day’s main news and the addresses of new mirrors. Our Android and iOS apps switch to a working address on their own.

Do not share links to us in open chats with strangers, and clear your browser history if your phone may be checked.`

func categories() []news.Category {
	names := []struct {
		slug string
		name L
	}{
		{"belarus", L{"Беларусь", "Беларусь", "Belarus"}},
		{"russia", L{"Россия", "Расія", "Russia"}},
		{"politics", L{"Политика", "Палітыка", "Politics"}},
		{"economy", L{"Экономика", "Эканоміка", "Economy"}},
		{"society", L{"Общество", "Грамадства", "Society"}},
		{"war", L{"Война", "Вайна", "War"}},
		{"world", L{"В мире", "Свет", "World"}},
		{"culture", L{"Культура", "Культура", "Culture"}},
		{"opinions", L{"Мнения", "Меркаванні", "Opinion"}},
		{"interview", L{"Интервью", "Інтэрв'ю", "Interviews"}},
	}
	var out []news.Category
	for e := range 3 {
		for i, n := range names {
			out = append(out, news.Category{Edition: editionCodes[e], Slug: n.slug, Name: n.name[e], Position: i + 1})
		}
	}
	return out
}

func pages(now time.Time) []news.Page {
	updated := now.Add(-40 * 24 * time.Hour).Truncate(time.Hour)
	var out []news.Page
	for e := range 3 {
		out = append(out,
			news.Page{Edition: editionCodes[e], Slug: "about", Title: aboutTitle[e], Body: aboutBody[e], UpdatedAt: updated},
			news.Page{Edition: editionCodes[e], Slug: "contacts", Title: contactsTitle[e], Body: contactsBody[e], UpdatedAt: updated},
		)
	}
	return out
}

var aboutTitle = L{"О нас", "Пра нас", "About us"}

var aboutBody = L{
	`«Дальний берег» (Dalny Bereg) — независимое издание, которое делают журналисты из Беларуси и России, вынужденные уехать из своих стран. Редакция работает из Вильнюса и Варшавы, а наши авторы и корреспонденты есть в десятках городов — в том числе там, где называть их имена небезопасно.

Мы выходим на трёх языках: русском, беларуском и английском. Каждый день мы рассказываем о том, что происходит дома и в эмиграции: о политике и судах, экономике и ценах, войне и её последствиях, культуре, которая продолжает жить вопреки запретам.

## Наши принципы

* Мы проверяем каждый факт и называем источники, если это не угрожает их безопасности.
* Мы отделяем новости от мнений: колонки авторов помечены отдельно.
* Мы исправляем ошибки открыто — под материалом всегда указано, что и когда было исправлено.
* Мы не берём денег у политических партий и государств, чью политику освещаем.

## Как мы существуем

Нас поддерживают читатели, а также частные фонды, поддерживающие свободную прессу. Полный список доноров и годовой отчёт мы публикуем каждую весну. Если вы хотите помочь, загляните на страницу поддержки.

Главный редактор — Марина Ясень. Издатель — VšĮ Dalny Bereg Media, Вильнюс.`,
	`«Далёкі бераг» (Dalny Bereg) — незалежнае выданне, якое робяць журналісты з Беларусі і Расіі, вымушаныя з'ехаць са сваіх краін. Рэдакцыя працуе з Вільнюса і Варшавы, а нашы аўтары і карэспандэнты ёсць у дзясятках гарадоў — у тым ліку там, дзе называць іх імёны небяспечна.

Мы выходзім на трох мовах: рускай, беларускай і англійскай. Кожны дзень мы расказваем пра тое, што адбываецца дома і ў эміграцыі: пра палітыку і суды, эканоміку і цэны, вайну і яе наступствы, культуру, якая працягвае жыць насуперак забаронам.

## Нашы прынцыпы

* Мы правяраем кожны факт і называем крыніцы, калі гэта не пагражае іх бяспецы.
* Мы аддзяляем навіны ад меркаванняў: калонкі аўтараў пазначаныя асобна.
* Мы выпраўляем памылкі адкрыта — пад матэрыялам заўсёды пазначана, што і калі было выпраўлена.
* Мы не бярэм грошай у палітычных партый і дзяржаў, палітыку якіх асвятляем.

## Як мы існуем

Нас падтрымліваюць чытачы, а таксама прыватныя фонды, што падтрымліваюць свабодную прэсу. Поўны спіс донараў і гадавую справаздачу мы публікуем кожную вясну. Калі вы хочаце дапамагчы, зазірніце на старонку падтрымкі.

Галоўная рэдактарка — Марына Ясень. Выдавец — VšĮ Dalny Bereg Media, Вільнюс.`,
	`Dalny Bereg (“The Far Shore”) is an independent news outlet run by journalists from Belarus and Russia who were forced to leave their countries. The newsroom works from Vilnius and Warsaw, and our writers and correspondents live in dozens of cities — including places where it is not safe to name them.

We publish in three languages: Russian, Belarusian and English. Every day we report on what is happening at home and in exile: politics and the courts, the economy and prices, the war and its consequences, and the culture that keeps going despite the bans.

## Our principles

* We check every fact and name our sources unless that puts them in danger.
* We keep news and opinion apart: columns are labelled as such.
* We correct mistakes openly — every correction is noted under the story, with what was changed and when.
* We take no money from political parties or from governments whose policies we cover.

## How we are funded

We are supported by our readers and by private foundations that back a free press. We publish the full list of donors and an annual report every spring. If you would like to help, visit our support page.

Editor-in-chief: Maryna Yasen. Publisher: VšĮ Dalny Bereg Media, Vilnius.`,
}

var contactsTitle = L{"Контакты", "Кантакты", "Contacts"}

var contactsBody = L{
	`## Редакция

Общие вопросы и предложения: editor@example.org

Если у вас есть новость, документ или фотография, напишите нам через [защищённую форму](https://example.org/tips) — мы не храним адреса и данные тех, кто к нам обращается. Для переписки по электронной почте используйте наш PGP-ключ (отпечаток: 0000 DEMO 0000 0000 0000  0000 0000 0000 0000 0000).

## Безопасность

Не пишите нам с рабочего телефона и с аккаунтов, привязанных к вашему настоящему имени, если вы находитесь в Беларуси или России. Удаляйте переписку после отправки.

## Реклама и партнёрства

partners@example.org

## Исправления

Заметили ошибку? Напишите на corrections@example.org — мы ответим в течение суток и исправим материал, если ошибка подтвердится.`,
	`## Рэдакцыя

Агульныя пытанні і прапановы: editor@example.org

Калі ў вас ёсць навіна, дакумент або фотаздымак, напішыце нам праз [абароненую форму](https://example.org/tips) — мы не захоўваем адрасы і дадзеныя тых, хто да нас звяртаецца. Для перапіскі па электроннай пошце выкарыстоўвайце наш PGP-ключ (адбітак: 0000 DEMO 0000 0000 0000  0000 0000 0000 0000 0000).

## Бяспека

Не пішыце нам з працоўнага тэлефона і з акаўнтаў, звязаных з вашым сапраўдным імем, калі вы знаходзіцеся ў Беларусі або Расіі. Выдаляйце перапіску пасля адпраўкі.

## Рэклама і партнёрствы

partners@example.org

## Выпраўленні

Заўважылі памылку? Напішыце на corrections@example.org — мы адкажам на працягу сутак і выправім матэрыял, калі памылка пацвердзіцца.`,
	`## Newsroom

General questions and suggestions: editor@example.org

If you have a story, a document or a photo, send it to us through our [secure form](https://example.org/tips) — we do not keep the addresses or any data of the people who contact us. For e-mail, please use our PGP key (fingerprint: 0000 DEMO 0000 0000 0000  0000 0000 0000 0000 0000).

## Safety

If you are in Belarus or Russia, do not write to us from a work phone or from accounts linked to your real name. Delete the conversation once it is sent.

## Advertising and partnerships

partners@example.org

## Corrections

Spotted a mistake? Write to corrections@example.org — we will reply within a day and correct the story if the error is confirmed.`,
}
