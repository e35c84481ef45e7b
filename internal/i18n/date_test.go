package i18n

import (
	"testing"
	"time"
	_ "time/tzdata" // Europe/Warsaw must load on a machine without a zone database
)

// dateCases cover every month and every weekday of 2026, hours before and
// after noon, and minutes and hours that need a leading zero.
var dateCases = []struct {
	t              time.Time
	en, ru, be     string // DateTime
	shortEN        string // ShortDateTime, English
	shortRU        string
	shortBE        string
	dateEN, dateRU string
	dateBE         string
	clock          string
}{
	{
		t:  time.Date(2026, time.January, 1, 0, 0, 0, 0, time.UTC),
		en: "1 January 2026, Thursday, 00:00", ru: "1 января 2026, четверг, 00:00", be: "1 студзеня 2026, чацвер, 00:00",
		shortEN: "1 January, 00:00", shortRU: "1 января, 00:00", shortBE: "1 студзеня, 00:00",
		dateEN: "1 January 2026", dateRU: "1 января 2026", dateBE: "1 студзеня 2026",
		clock: "00:00",
	},
	{
		t:  time.Date(2026, time.February, 2, 13, 47, 0, 0, time.UTC),
		en: "2 February 2026, Monday, 13:47", ru: "2 февраля 2026, понедельник, 13:47", be: "2 лютага 2026, панядзелак, 13:47",
		shortEN: "2 February, 13:47", shortRU: "2 февраля, 13:47", shortBE: "2 лютага, 13:47",
		dateEN: "2 February 2026", dateRU: "2 февраля 2026", dateBE: "2 лютага 2026",
		clock: "13:47",
	},
	{
		t:  time.Date(2026, time.March, 3, 9, 5, 59, 999, time.UTC),
		en: "3 March 2026, Tuesday, 09:05", ru: "3 марта 2026, вторник, 09:05", be: "3 сакавіка 2026, аўторак, 09:05",
		shortEN: "3 March, 09:05", shortRU: "3 марта, 09:05", shortBE: "3 сакавіка, 09:05",
		dateEN: "3 March 2026", dateRU: "3 марта 2026", dateBE: "3 сакавіка 2026",
		clock: "09:05",
	},
	{
		t:  time.Date(2026, time.April, 4, 23, 59, 0, 0, time.UTC),
		en: "4 April 2026, Saturday, 23:59", ru: "4 апреля 2026, суббота, 23:59", be: "4 красавіка 2026, субота, 23:59",
		shortEN: "4 April, 23:59", shortRU: "4 апреля, 23:59", shortBE: "4 красавіка, 23:59",
		dateEN: "4 April 2026", dateRU: "4 апреля 2026", dateBE: "4 красавіка 2026",
		clock: "23:59",
	},
	{
		t:  time.Date(2026, time.May, 9, 7, 30, 0, 0, time.UTC),
		en: "9 May 2026, Saturday, 07:30", ru: "9 мая 2026, суббота, 07:30", be: "9 мая 2026, субота, 07:30",
		shortEN: "9 May, 07:30", shortRU: "9 мая, 07:30", shortBE: "9 мая, 07:30",
		dateEN: "9 May 2026", dateRU: "9 мая 2026", dateBE: "9 мая 2026",
		clock: "07:30",
	},
	{
		t:  time.Date(2026, time.June, 14, 12, 0, 0, 0, time.UTC),
		en: "14 June 2026, Sunday, 12:00", ru: "14 июня 2026, воскресенье, 12:00", be: "14 чэрвеня 2026, нядзеля, 12:00",
		shortEN: "14 June, 12:00", shortRU: "14 июня, 12:00", shortBE: "14 чэрвеня, 12:00",
		dateEN: "14 June 2026", dateRU: "14 июня 2026", dateBE: "14 чэрвеня 2026",
		clock: "12:00",
	},
	{
		t:  time.Date(2026, time.July, 15, 18, 15, 0, 0, time.UTC),
		en: "15 July 2026, Wednesday, 18:15", ru: "15 июля 2026, среда, 18:15", be: "15 ліпеня 2026, серада, 18:15",
		shortEN: "15 July, 18:15", shortRU: "15 июля, 18:15", shortBE: "15 ліпеня, 18:15",
		dateEN: "15 July 2026", dateRU: "15 июля 2026", dateBE: "15 ліпеня 2026",
		clock: "18:15",
	},
	{
		t:  time.Date(2026, time.August, 21, 6, 1, 0, 0, time.UTC),
		en: "21 August 2026, Friday, 06:01", ru: "21 августа 2026, пятница, 06:01", be: "21 жніўня 2026, пятніца, 06:01",
		shortEN: "21 August, 06:01", shortRU: "21 августа, 06:01", shortBE: "21 жніўня, 06:01",
		dateEN: "21 August 2026", dateRU: "21 августа 2026", dateBE: "21 жніўня 2026",
		clock: "06:01",
	},
	{
		t:  time.Date(2026, time.September, 26, 21, 9, 0, 0, time.UTC),
		en: "26 September 2026, Saturday, 21:09", ru: "26 сентября 2026, суббота, 21:09", be: "26 верасня 2026, субота, 21:09",
		shortEN: "26 September, 21:09", shortRU: "26 сентября, 21:09", shortBE: "26 верасня, 21:09",
		dateEN: "26 September 2026", dateRU: "26 сентября 2026", dateBE: "26 верасня 2026",
		clock: "21:09",
	},
	{
		t:  time.Date(2026, time.October, 31, 10, 10, 0, 0, time.UTC),
		en: "31 October 2026, Saturday, 10:10", ru: "31 октября 2026, суббота, 10:10", be: "31 кастрычніка 2026, субота, 10:10",
		shortEN: "31 October, 10:10", shortRU: "31 октября, 10:10", shortBE: "31 кастрычніка, 10:10",
		dateEN: "31 October 2026", dateRU: "31 октября 2026", dateBE: "31 кастрычніка 2026",
		clock: "10:10",
	},
	{
		t:  time.Date(2026, time.November, 30, 1, 2, 0, 0, time.UTC),
		en: "30 November 2026, Monday, 01:02", ru: "30 ноября 2026, понедельник, 01:02", be: "30 лістапада 2026, панядзелак, 01:02",
		shortEN: "30 November, 01:02", shortRU: "30 ноября, 01:02", shortBE: "30 лістапада, 01:02",
		dateEN: "30 November 2026", dateRU: "30 ноября 2026", dateBE: "30 лістапада 2026",
		clock: "01:02",
	},
	{
		t:  time.Date(2026, time.December, 31, 22, 45, 0, 0, time.UTC),
		en: "31 December 2026, Thursday, 22:45", ru: "31 декабря 2026, четверг, 22:45", be: "31 снежня 2026, чацвер, 22:45",
		shortEN: "31 December, 22:45", shortRU: "31 декабря, 22:45", shortBE: "31 снежня, 22:45",
		dateEN: "31 December 2026", dateRU: "31 декабря 2026", dateBE: "31 снежня 2026",
		clock: "22:45",
	},
}

func TestDateFormats(t *testing.T) {
	for _, c := range dateCases {
		for _, tt := range []struct {
			lang                  string
			dateTime, short, date string
		}{
			{"en", c.en, c.shortEN, c.dateEN},
			{"ru", c.ru, c.shortRU, c.dateRU},
			{"be", c.be, c.shortBE, c.dateBE},
		} {
			if got := DateTime(tt.lang, c.t); got != tt.dateTime {
				t.Errorf("DateTime(%q, %v) = %q, want %q", tt.lang, c.t, got, tt.dateTime)
			}
			if got := ShortDateTime(tt.lang, c.t); got != tt.short {
				t.Errorf("ShortDateTime(%q, %v) = %q, want %q", tt.lang, c.t, got, tt.short)
			}
			if got := Date(tt.lang, c.t); got != tt.date {
				t.Errorf("Date(%q, %v) = %q, want %q", tt.lang, c.t, got, tt.date)
			}
		}
		if got := Time(c.t); got != c.clock {
			t.Errorf("Time(%v) = %q, want %q", c.t, got, c.clock)
		}
	}
}

func TestDateUnknownLanguageIsEnglish(t *testing.T) {
	tm := time.Date(2026, time.February, 2, 13, 47, 0, 0, time.UTC)
	for _, lang := range []string{"", "xx", "uk"} {
		if got, want := DateTime(lang, tm), "2 February 2026, Monday, 13:47"; got != want {
			t.Errorf("DateTime(%q) = %q, want %q", lang, got, want)
		}
		if got, want := Month(lang, time.February), "February"; got != want {
			t.Errorf("Month(%q) = %q, want %q", lang, got, want)
		}
	}
}

func TestMonth(t *testing.T) {
	want := map[string][12]string{
		"en": {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
		"ru": {"январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"},
		"be": {"студзень", "люты", "сакавік", "красавік", "май", "чэрвень", "ліпень", "жнівень", "верасень", "кастрычнік", "лістапад", "снежань"},
	}
	for lang, names := range want {
		for i, name := range names {
			m := time.Month(i + 1)
			if got := Month(lang, m); got != name {
				t.Errorf("Month(%q, %v) = %q, want %q", lang, m, got, name)
			}
		}
	}
	// time.Month is an int underneath: a bad one must not panic a page.
	if got := Month("ru", 13); got != "13" {
		t.Errorf("Month(ru, 13) = %q, want %q", got, "13")
	}
	if got := Month("ru", 0); got != "0" {
		t.Errorf("Month(ru, 0) = %q, want %q", got, "0")
	}
}

// TestNoZoneConversion: the caller has put t in the newsroom's zone; the
// wall clock it reads there is what readers must see, whatever the server's
// zone and whatever the instant is in UTC.
func TestNoZoneConversion(t *testing.T) {
	warsaw, err := time.LoadLocation("Europe/Warsaw")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		t             time.Time
		dateTime, utc string
	}{
		// Winter (UTC+1): 13:47 in Warsaw is 12:47 UTC.
		{time.Date(2026, time.February, 2, 13, 47, 0, 0, warsaw),
			"2 February 2026, Monday, 13:47", "2 February 2026, Monday, 12:47"},
		// Just after midnight the UTC date is still the day before.
		{time.Date(2026, time.March, 1, 0, 30, 0, 0, warsaw),
			"1 March 2026, Sunday, 00:30", "28 February 2026, Saturday, 23:30"},
		// Summer (UTC+2).
		{time.Date(2026, time.July, 15, 1, 5, 0, 0, warsaw),
			"15 July 2026, Wednesday, 01:05", "14 July 2026, Tuesday, 23:05"},
		// A zone far from both UTC and the server.
		{time.Date(2026, time.January, 1, 9, 0, 0, 0, time.FixedZone("UTC+14", 14*3600)),
			"1 January 2026, Thursday, 09:00", "31 December 2025, Wednesday, 19:00"},
	}
	for _, tt := range tests {
		if got := DateTime("en", tt.t); got != tt.dateTime {
			t.Errorf("DateTime(en, %v) = %q, want %q", tt.t, got, tt.dateTime)
		}
		// The same instant in UTC reads differently, which proves the cases
		// above would catch a conversion.
		if got := DateTime("en", tt.t.UTC()); got != tt.utc {
			t.Errorf("DateTime(en, %v) = %q, want %q", tt.t.UTC(), got, tt.utc)
		}
	}
	tm := time.Date(2026, time.February, 2, 0, 15, 0, 0, warsaw)
	if got, want := ShortDateTime("ru", tm), "2 февраля, 00:15"; got != want {
		t.Errorf("ShortDateTime(ru, %v) = %q, want %q", tm, got, want)
	}
	if got, want := Date("be", tm), "2 лютага 2026"; got != want {
		t.Errorf("Date(be, %v) = %q, want %q", tm, got, want)
	}
	if got, want := Time(tm), "00:15"; got != want {
		t.Errorf("Time(%v) = %q, want %q", tm, got, want)
	}
}
