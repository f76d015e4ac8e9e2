package broadcast

import "strings"

// Change is one place where a copy differs from the official text: the
// words of the official announcement (empty when the copy added words)
// and those of the copy (empty when it dropped them), as written.
type Change struct {
	Official string
	Copy     string
}

// maxChanges and maxChangeWords keep a difference short enough for one
// chat message; the answer says when there is more.
const (
	maxChanges     = 3
	maxChangeWords = 8
)

// Diff compares two normalised texts word by word (a longest common
// subsequence of their tokens) and returns how many tokens they share
// and where they differ, in the order of the official text.
func Diff(official, copy Compared) (common int, changes []Change) {
	a, b := official.Tokens, copy.Tokens
	// lcs[i][j] is the longest common subsequence of a[i:] and b[j:].
	lcs := make([][]int32, len(a)+1)
	for i := range lcs {
		lcs[i] = make([]int32, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			switch {
			case a[i] == b[j]:
				lcs[i][j] = lcs[i+1][j+1] + 1
			case lcs[i+1][j] >= lcs[i][j+1]:
				lcs[i][j] = lcs[i+1][j]
			default:
				lcs[i][j] = lcs[i][j+1]
			}
		}
	}
	var gone, added []int // token indexes of the current run of differences
	flush := func() {
		if len(gone) > 0 || len(added) > 0 {
			changes = append(changes, Change{Official: words(official, gone), Copy: words(copy, added)})
		}
		gone, added = nil, nil
	}
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			flush()
			i, j = i+1, j+1
		case j >= len(b) || (i < len(a) && lcs[i+1][j] >= lcs[i][j+1]):
			gone = append(gone, i)
			i++
		default:
			added = append(added, j)
			j++
		}
	}
	flush()
	return int(lcs[0][0]), changes
}

// words is the original words the tokens at idx came from, each once, at
// most maxChangeWords of them.
func words(c Compared, idx []int) string {
	var out []string
	last := -1
	for _, i := range idx {
		if w := c.From[i]; w != last {
			out = append(out, c.Words[w])
			last = w
		}
	}
	if len(out) > maxChangeWords {
		out = append(out[:maxChangeWords], "…")
	}
	return strings.Join(out, " ")
}
