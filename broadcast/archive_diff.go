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
	var runs []diffRun
	var cur diffRun
	flush := func() {
		if len(cur.gone) > 0 || len(cur.added) > 0 {
			runs = append(runs, cur)
		}
		cur = diffRun{}
	}
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case i < len(a) && j < len(b) && a[i] == b[j]:
			flush()
			i, j = i+1, j+1
		case j >= len(b) || (i < len(a) && lcs[i+1][j] >= lcs[i][j+1]):
			cur.gone = append(cur.gone, i)
			i++
		default:
			cur.added = append(cur.added, j)
			j++
		}
	}
	flush()
	for _, r := range mergeRuns(official, copy, runs) {
		changes = append(changes, Change{Official: words(official, r.gone), Copy: words(copy, r.added)})
	}
	return int(lcs[0][0]), changes
}

// diffRun is one run of differing tokens: those of the official text
// that are gone and those of the copy that were added (indexes).
type diffRun struct{ gone, added []int }

// mergeRuns joins runs that touch the same word, so "Rp300.000" →
// "Rp3.000.000" (tokens rp300 000 → rp3 000 000, which share a "000")
// reads as one change of one word, not two.
func mergeRuns(official, copy Compared, runs []diffRun) []diffRun {
	var out []diffRun
	for _, r := range runs {
		if n := len(out); n > 0 && (sameWord(official, out[n-1].gone, r.gone) || sameWord(copy, out[n-1].added, r.added)) {
			out[n-1].gone = append(out[n-1].gone, r.gone...)
			out[n-1].added = append(out[n-1].added, r.added...)
			continue
		}
		out = append(out, r)
	}
	return out
}

// sameWord reports whether the last token of prev and the first of next
// come from one word of c.
func sameWord(c Compared, prev, next []int) bool {
	return len(prev) > 0 && len(next) > 0 && c.From[prev[len(prev)-1]] == c.From[next[0]]
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
