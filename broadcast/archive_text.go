package broadcast

import (
	"crypto/sha256"
	"hash/fnv"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Compared is a text as the authenticity check compares it: its tokens
// (lower-case runs of letters and digits), each with the word of the
// original text it came from, so a difference can be shown as people
// wrote it.
type Compared struct {
	Tokens []string
	// From holds, for each token, the index in Words of its word.
	From  []int
	Words []string
}

// Normalize turns what a reader sees of a message (its visible text) and
// the links hidden behind its words into what the check compares. Every
// difference that does not change what a message says is dropped:
// formatting (it is not in the visible text), emoji and other symbols,
// punctuation, case, spacing and line breaks, and the look-alike letters
// of "fancy" fonts (𝐏𝐞𝐧𝐠𝐮𝐦𝐮𝐦𝐚𝐧, Ｐｅｎｇｕｍｕｍａｎ), which Unicode's NFKC
// folds to plain ones. Digits stay, and split where punctuation was
// ("30/11/2026" is 30 11 2026), so a changed date or amount is a changed
// token. Hidden links come last, as words of their own: a doctored copy
// that keeps the words and swaps a link behind them still differs.
func Normalize(visible string, links []string) Compared {
	var c Compared
	add := func(word string) {
		idx := -1
		for _, tok := range tokens(word) {
			if idx < 0 {
				c.Words = append(c.Words, word)
				idx = len(c.Words) - 1
			}
			c.Tokens = append(c.Tokens, tok)
			c.From = append(c.From, idx)
		}
	}
	for _, w := range strings.FieldsFunc(visible, isSpace) {
		add(w)
	}
	for _, l := range links {
		add(l)
	}
	return c
}

// Text is the normalised text: the tokens joined by single spaces.
func (c Compared) Text() string { return strings.Join(c.Tokens, " ") }

// Hash is the SHA-256 of Text, the index of exact matches.
func (c Compared) Hash() []byte {
	h := sha256.Sum256([]byte(c.Text()))
	return h[:]
}

// sketchSize is how many shingle hashes a text keeps for near matches.
const sketchSize = 12

// Sketch is the bottom-k sketch of the text: the sketchSize smallest
// FNV-1a hashes of its word 3-grams (the whole text when shorter). Two
// texts that share most 3-grams share most of their sketch, and a GIN
// index over it finds them without reading unrelated texts.
func (c Compared) Sketch() []int32 {
	var hs []int32
	add := func(words []string) {
		h := fnv.New32a()
		h.Write([]byte(strings.Join(words, " ")))
		hs = append(hs, int32(h.Sum32()))
	}
	if len(c.Tokens) < 3 {
		if len(c.Tokens) > 0 {
			add(c.Tokens)
		}
	}
	for i := 0; i+3 <= len(c.Tokens); i++ {
		add(c.Tokens[i : i+3])
	}
	slices.Sort(hs)
	hs = slices.Compact(hs)
	return hs[:min(len(hs), sketchSize)]
}

// isSpace splits words: Unicode spaces and the invisible joiners and
// marks that some copies carry between words.
func isSpace(r rune) bool {
	return unicode.IsSpace(r) || r == '\u200b' || r == '\u2060' || r == '\ufeff'
}

// tokens splits one word into its lower-case runs of letters and digits,
// after NFKC (which also turns "½" into "1⁄2" and "ﬁ" into "fi").
func tokens(word string) []string {
	var out []string
	var cur strings.Builder
	flush := func() {
		if cur.Len() > 0 {
			out = append(out, cur.String())
			cur.Reset()
		}
	}
	for _, r := range norm.NFKC.String(word) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			cur.WriteRune(unicode.ToLower(r))
		case unicode.Is(unicode.Mn, r):
			// combining marks (accents typed apart) belong to the letter
		default:
			flush()
		}
	}
	flush()
	return out
}
