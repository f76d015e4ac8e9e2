package operator

import (
	"sort"
	"strings"
	"unicode/utf16"

	"github.com/go-telegram/bot/models"

	"github.com/kimbot/kimbot/broadcast"
)

// entityTags maps formatting entities to Telegram HTML; entities not
// listed (mentions, hashtags, plain URLs, custom emoji, text mentions)
// become plain text, which Telegram highlights again by itself where it
// applies. Text mentions are dropped on purpose: they would link a
// person's account in an announcement.
var entityTags = map[models.MessageEntityType][2]string{
	models.MessageEntityTypeBold:                 {"<b>", "</b>"},
	models.MessageEntityTypeItalic:               {"<i>", "</i>"},
	models.MessageEntityTypeUnderline:            {"<u>", "</u>"},
	models.MessageEntityTypeStrikethrough:        {"<s>", "</s>"},
	models.MessageEntityTypeSpoiler:              {"<tg-spoiler>", "</tg-spoiler>"},
	models.MessageEntityTypeCode:                 {"<code>", "</code>"},
	models.MessageEntityTypeBlockquote:           {"<blockquote>", "</blockquote>"},
	models.MessageEntityTypeExpandableBlockquote: {"<blockquote expandable>", "</blockquote>"},
}

// entitiesToHTML turns a received message's text and entities (offsets in
// UTF-16 units) into the Telegram HTML that reproduces it, so the operator
// sends the announcement exactly as residents should see it. Overlapping
// entities are closed and reopened so the HTML stays balanced.
func entitiesToHTML(text string, entities []models.MessageEntity) string {
	units := utf16.Encode([]rune(text))
	ents := usableEntities(entities, units)
	var b strings.Builder
	var open []models.MessageEntity
	next := 0
	for pos := 0; pos <= len(units); {
		open = closeAt(&b, open, pos)
		for next < len(ents) && ents[next].Offset == pos {
			b.WriteString(openTag(ents[next]))
			open = append(open, ents[next])
			next++
		}
		if pos == len(units) {
			break
		}
		n := 1
		if utf16.IsSurrogate(rune(units[pos])) && pos+1 < len(units) {
			n = 2
		}
		b.WriteString(broadcast.EscapeHTML(string(utf16.Decode(units[pos : pos+n]))))
		pos += n
	}
	return b.String()
}

// usableEntities keeps formatting entities that lie inside the text and
// do not split a surrogate pair, outer first.
func usableEntities(entities []models.MessageEntity, units []uint16) []models.MessageEntity {
	n := len(units)
	splits := func(pos int) bool {
		return pos > 0 && pos < n && utf16.IsSurrogate(rune(units[pos])) && units[pos] >= 0xDC00
	}
	var out []models.MessageEntity
	for _, e := range entities {
		_, known := entityTags[e.Type]
		known = known || e.Type == models.MessageEntityTypeTextLink || e.Type == models.MessageEntityTypePre
		inside := e.Length > 0 && e.Offset >= 0 && e.Offset+e.Length <= n && !splits(e.Offset) && !splits(e.Offset+e.Length)
		if e.Type == models.MessageEntityTypeTextLink && broadcast.CheckLinkURL(e.URL) != nil {
			known = false // keep the words, drop a link residents could not open
		}
		if known && inside {
			out = append(out, e)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Offset != out[j].Offset {
			return out[i].Offset < out[j].Offset
		}
		return out[i].Length > out[j].Length
	})
	return out
}

// closeAt closes every open entity ending at pos; entities opened inside
// one of them that end later are closed first and reopened after.
func closeAt(b *strings.Builder, open []models.MessageEntity, pos int) []models.MessageEntity {
	first := -1
	for i, e := range open {
		if e.Offset+e.Length == pos {
			first = i
			break
		}
	}
	if first < 0 {
		return open
	}
	var reopen []models.MessageEntity
	for i := len(open) - 1; i >= first; i-- {
		b.WriteString(closeTag(open[i]))
		if open[i].Offset+open[i].Length > pos {
			reopen = append([]models.MessageEntity{open[i]}, reopen...)
		}
	}
	open = open[:first]
	for _, e := range reopen {
		b.WriteString(openTag(e))
		open = append(open, e)
	}
	return open
}

func openTag(e models.MessageEntity) string {
	switch e.Type {
	case models.MessageEntityTypeTextLink:
		return `<a href="` + broadcast.EscapeHTML(e.URL) + `">`
	case models.MessageEntityTypePre:
		if e.Language != "" {
			return `<pre><code class="language-` + broadcast.EscapeHTML(e.Language) + `">`
		}
		return "<pre>"
	}
	return entityTags[e.Type][0]
}

func closeTag(e models.MessageEntity) string {
	switch e.Type {
	case models.MessageEntityTypeTextLink:
		return "</a>"
	case models.MessageEntityTypePre:
		if e.Language != "" {
			return "</code></pre>"
		}
		return "</pre>"
	}
	return entityTags[e.Type][1]
}
