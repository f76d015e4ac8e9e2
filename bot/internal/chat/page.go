package chat

import (
	"github.com/kimbot/kimbot/message"
)

// Page is one page of a list: its 1-based Number of Count pages, the
// Offset of its first item, and the offsets the Prev/Next buttons lead to
// (-1 when there is none).
type Page struct {
	Number, Count int
	Offset        int
	Prev, Next    int
}

// PageAt clamps offset into [0, total) on a page boundary of per items
// and works out the neighbours. An empty list is one empty page.
func PageAt(offset, per, total int) Page {
	per = max(per, 1)
	count := max((total+per-1)/per, 1)
	offset = max(offset, 0)
	offset -= offset % per
	offset = min(offset, (count-1)*per)
	p := Page{Number: offset/per + 1, Count: count, Offset: offset, Prev: -1, Next: -1}
	if offset > 0 {
		p.Prev = offset - per
	}
	if offset+per < total {
		p.Next = offset + per
	}
	return p
}

// Nav is the row of Prev/Next buttons of p (nil when it has neither);
// data makes the callback data that opens the page at an offset.
func (p Page) Nav(prev, next string, data func(offset int) string) []message.Button {
	var row []message.Button
	if p.Prev >= 0 {
		row = append(row, message.Button{Text: prev, Data: data(p.Prev)})
	}
	if p.Next >= 0 {
		row = append(row, message.Button{Text: next, Data: data(p.Next)})
	}
	return row
}

// Truncate cuts s to at most n UTF-16 code units, the way Telegram counts
// its limits (an emoji is 2), ending a cut text with "…". It never splits
// a character.
func Truncate(s string, n int) string {
	if message.UTF16Len(s) <= n {
		return s
	}
	if n <= 0 {
		return ""
	}
	return message.CutUTF16(s, n-1) + "…"
}
