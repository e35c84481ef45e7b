package i18n

import (
	"strconv"
	"time"
)

// All the functions here format t's wall clock as given. Callers pass a time
// already in the newsroom's zone; converting here (to UTC or time.Local)
// would silently show readers the server's clock instead.

// DateTime is the top bar's clock, spelled out:
// "2 February 2026, Monday, 13:47", "2 февраля 2026, понедельник, 13:47".
func DateTime(lang string, t time.Time) string {
	l := lookup(lang)
	return date(l, t) + ", " + l.weekdays[t.Weekday()] + ", " + Time(t)
}

// Date: "2 February 2026", "2 февраля 2026", "2 лютага 2026".
func Date(lang string, t time.Time) string {
	return date(lookup(lang), t)
}

// Time is the 24-hour clock with a leading zero on the hour: "09:05".
func Time(t time.Time) string {
	return t.Format("15:04")
}

// ShortDateTime is for lists, where the year is clutter:
// "2 February, 13:47", "2 февраля, 13:47".
func ShortDateTime(lang string, t time.Time) string {
	l := lookup(lang)
	return strconv.Itoa(t.Day()) + " " + l.monthsIn[t.Month()-1] + ", " + Time(t)
}

// Month is the month name in the nominative, for headings such as an archive
// month: "February", "февраль", "люты". Russian and Belarusian write it in
// lower case; a heading that wants a capital does so in its template or CSS.
func Month(lang string, m time.Month) string {
	if m < time.January || m > time.December {
		return strconv.Itoa(int(m))
	}
	return lookup(lang).months[m-1]
}

// date is "day month year"; all three languages put the day first, so the
// order is shared and only the words differ.
func date(l *language, t time.Time) string {
	return strconv.Itoa(t.Day()) + " " + l.monthsIn[t.Month()-1] + " " + strconv.Itoa(t.Year())
}
