package broadcast

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/kimbot/kimbot/region"
)

// CheckResult is what the authenticity check found.
type CheckResult string

// The results of a check.
const (
	CheckOfficial CheckResult = "official" // the same as an announcement that went out
	CheckEdited   CheckResult = "edited"   // a changed copy of one: never "official"
	CheckUnknown  CheckResult = "unknown"  // like none of them
)

// Suspect is a message a resident asks about: what a reader sees of it,
// the links behind its words (a forward's text_link entities; nil for a
// pasted text, which cannot carry them), the file_unique_ids of its
// photo's sizes, and the asker's village ("" without one).
type Suspect struct {
	Text    string
	Links   []string
	Photos  []string
	Village region.Code
	// Pasted says a resident typed or pasted the text rather than
	// forwarding it: a pasted text like no announcement was most likely
	// not a question about one, and is not counted as a check.
	Pasted bool
}

// Verdict is the answer to a Suspect. Entry is the announcement it
// matched or copies (zero for CheckUnknown); Changes say where an edited
// copy differs, at most maxChanges of them, More when there were more;
// PhotoDiffers when the words are official and the photo is not.
type Verdict struct {
	Result       CheckResult
	Entry        Entry
	Changes      []Change
	More         bool
	PhotoDiffers bool
}

// The thresholds of a near match, checked by the tests in
// archive_check_test.go: a copy with one date, amount or link changed
// keeps more than 0.85 of the words of even a two-line notice, while a
// different notice on the same topic, written from the same template,
// keeps about half of them.
//   - nearWords is the share of the longer text's words that must be
//     common, in order, to call it an edited copy.
//   - minNearTokens: shorter texts ("ok", "info vaksin?") are never
//     called a copy of anything; only an exact match counts for them.
const (
	nearWords     = 0.7
	minNearTokens = 6
	nearCandidate = 5
)

// Check compares s with every announcement that went out (archived or
// not) and records that a check was made, for the console's figures.
// Photo first (the same file is the same announcement), then the exact
// text, then the texts most like it.
//
// An announcement kept out of the archive is not public: an edited copy
// of it is called edited, but what differs is not shown (the words would
// reveal its text to whoever guesses at it, one word at a time).
func (a *Archive) Check(ctx context.Context, s Suspect) (Verdict, error) {
	v, err := a.check(ctx, s)
	if err != nil {
		return Verdict{}, err
	}
	if v.Result == CheckEdited && v.Entry.Key == "" {
		v.Changes, v.More = nil, false
	}
	if s.Pasted && v.Result == CheckUnknown {
		return v, nil
	}
	var ann *int64
	if v.Result != CheckUnknown {
		ann = &v.Entry.AnnouncementID
	}
	const q = `INSERT INTO archive_checks (checked_at, village_code, result, announcement_id) VALUES ($1, $2, $3, $4)`
	if _, err := a.db.ExecContext(ctx, q, a.clock.Now(), string(s.Village), string(v.Result), ann); err != nil {
		return Verdict{}, fmt.Errorf("recording a check: %w", err)
	}
	return v, nil
}

func (a *Archive) check(ctx context.Context, s Suspect) (Verdict, error) {
	text := Normalize(s.Text, nil)
	if len(s.Photos) > 0 {
		e, err := a.one(ctx, entrySelect+` WHERE a.photo_unique_id = ANY($1) AND a.first_sent_at IS NOT NULL
			ORDER BY a.first_sent_at DESC LIMIT 1`, pq.Array(s.Photos))
		switch {
		case err == nil && len(text.Tokens) == 0: // the official photo, its caption left out
			return Verdict{Result: CheckOfficial, Entry: e}, nil
		case err == nil:
			return compare(e, s), nil
		case !errors.Is(err, ErrNotFound):
			return Verdict{}, err
		}
	}
	if len(text.Tokens) == 0 {
		return Verdict{Result: CheckUnknown}, nil
	}
	e, err := a.one(ctx, entrySelect+` WHERE a.norm_hash = $1 AND a.first_sent_at IS NOT NULL
		ORDER BY a.first_sent_at DESC LIMIT 1`, text.Hash())
	switch {
	case err == nil:
		return compare(e, s), nil
	case !errors.Is(err, ErrNotFound):
		return Verdict{}, err
	case len(text.Tokens) < minNearTokens:
		return Verdict{Result: CheckUnknown}, nil
	}
	return a.near(ctx, s, text)
}

// compare is the verdict on s against e, whose photo or text it shares:
// official when the words (and the links behind them, when s has them)
// are the same and it carries no other photo; edited otherwise.
func compare(e Entry, s Suspect) Verdict {
	official := Normalize(visible(e.Content.Text), nil)
	copied := Normalize(s.Text, nil)
	if s.Links != nil {
		// Only a link the official text does not have counts: one lost on
		// the way (a copy of a copy) harms nobody; one swapped in is the
		// hoax.
		copied = Normalize(s.Text, foreignLinks(s.Text, s.Links, hrefs(e.Content.Text)))
	}
	v := Verdict{Result: CheckOfficial, Entry: e}
	if !slices.Equal(official.Tokens, copied.Tokens) {
		v.Result = CheckEdited
		_, changes := Diff(official, copied)
		v.Changes, v.More = cut(changes)
	}
	if len(s.Photos) > 0 && !e.hasPhoto(s.Photos) {
		v.Result, v.PhotoDiffers = CheckEdited, true
	}
	return v
}

// foreignLinks are the links hidden behind the words of a copy that are
// neither visible in its text nor among the official links.
func foreignLinks(text string, links, official []string) []string {
	var out []string
	for _, l := range hiddenLinks(text, links) {
		if !slices.Contains(official, l) {
			out = append(out, l)
		}
	}
	return out
}

func (e Entry) hasPhoto(ids []string) bool {
	return e.Content.PhotoFileID != "" && e.photoUniqueID != "" && slices.Contains(ids, e.photoUniqueID)
}

func cut(changes []Change) ([]Change, bool) {
	if len(changes) > maxChanges {
		return changes[:maxChanges], true
	}
	return changes, false
}

// sqlNear finds the announcements that share the most sketch hashes
// with $1, through the GIN index (only near copies share any).
const sqlNear = entrySelect + `
WHERE a.first_sent_at IS NOT NULL AND a.norm_sketch && $1::integer[]
ORDER BY cardinality(ARRAY(SELECT unnest(a.norm_sketch) INTERSECT SELECT unnest($1::integer[]))) DESC,
         a.first_sent_at DESC
LIMIT $2`

// near looks for the announcement s is an edited copy of: among the few
// sharing the most of its sketch, the one sharing the most words in
// order, when that is at least nearWords of the longer text.
func (a *Archive) near(ctx context.Context, s Suspect, text Compared) (Verdict, error) {
	var rows []entryRow
	if err := a.db.SelectContext(ctx, &rows, sqlNear, pq.Int32Array(text.Sketch()), nearCandidate); err != nil {
		return Verdict{}, fmt.Errorf("finding similar announcements: %w", err)
	}
	best, bestShare := -1, 0.0
	for i, r := range rows {
		official := Normalize(visible(r.Text), nil)
		common, _ := Diff(official, text)
		if share := float64(common) / float64(max(len(text.Tokens), len(official.Tokens))); share > bestShare {
			best, bestShare = i, share
		}
	}
	if best < 0 || bestShare < nearWords {
		return Verdict{Result: CheckUnknown}, nil
	}
	e, err := rows[best].entry()
	if err != nil {
		return Verdict{}, err
	}
	v := compare(e, s)
	v.Result = CheckEdited // never official: its hash differed
	return v, nil
}

// one reads the single entry a query finds, or ErrNotFound.
func (a *Archive) one(ctx context.Context, query string, args ...any) (Entry, error) {
	var row entryRow
	err := sqlx.GetContext(ctx, a.db, &row, query, args...)
	if errors.Is(err, sql.ErrNoRows) {
		return Entry{}, ErrNotFound
	}
	if err != nil {
		return Entry{}, fmt.Errorf("checking against the archive: %w", err)
	}
	return row.entry()
}
