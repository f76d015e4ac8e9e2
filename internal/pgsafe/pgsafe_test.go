package pgsafe_test

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/lib/pq"

	"github.com/kimbot/kimbot/internal/pgsafe"
	"github.com/kimbot/kimbot/internal/testenv"
)

// Every value below is one PostgreSQL refuses as it is; after pgsafe it
// must be stored, and what Go reads back must match what Go read before.
func TestJSON_StorableAsJSONB(t *testing.T) {
	db := testenv.DB(t)
	cases := map[string]string{
		"lone high surrogate":       `{"text":"tlogo\ud800mas"}`,
		"lone low surrogate":        `{"text":"tlogo\udc00mas"}`,
		"high at the end":           `{"text":"tlogo\ud83d"}`,
		"pair reversed":             `{"text":"\udc00\ud800"}`,
		"high then a non-low":       `{"text":"\ud83d\u0041"}`,
		"NUL escape":                `{"text":"a\u0000b"}`,
		"uppercase hex":             `{"text":"\uD800x"}`,
		"escaped backslash kept":    `{"text":"\\u0000 \\ud800"}`,
		"a proper pair is kept":     `{"text":"\ud83d\ude00 ok"}`,
		"surrogate in a key":        `{"k\ud800":1}`,
		"nothing to do":             `{"text":"Tlogomas"}`,
		"escape cut at the end":     `{"text":"\u12"}`,
		"many in a row":             `{"t":"\ud800\ud800\ud800\udc00"}`,
		"high before an escaped \\": `{"t":"\ud800\\"}`,
	}
	for name, in := range cases {
		t.Run(name, func(t *testing.T) {
			var want any
			wantErr := json.Unmarshal([]byte(in), &want)
			out := pgsafe.JSON([]byte(in))
			var got any
			if err := json.Unmarshal(out, &got); (err != nil) != (wantErr != nil) {
				t.Fatalf("Go reads %s as %v, the original as %v", out, err, wantErr)
			}
			if wantErr != nil {
				return // not JSON to begin with: nothing to store
			}
			if !jsonEqual(want, got) {
				t.Errorf("Go reads %s as %v, the original as %v", out, got, want)
			}
			var stored string
			if err := db.QueryRow(`SELECT $1::jsonb::text`, string(out)).Scan(&stored); err != nil {
				t.Fatalf("PostgreSQL refuses %s: %v", out, err)
			}
		})
	}
}

func TestJSON_UnchangedIsNotCopied(t *testing.T) {
	in := []byte(`{"text":"\ud83d\ude00 \\u0000"}`)
	if out := pgsafe.JSON(in); &out[0] != &in[0] {
		t.Errorf("JSON copied a payload that needed nothing")
	}
}

// jsonEqual compares decoded values, with U+FFFD standing for whatever Go
// made of a lone surrogate and the NUL that became U+FFFD.
func jsonEqual(a, b any) bool {
	norm := func(v any) string {
		raw, _ := json.Marshal(v)
		return strings.ReplaceAll(string(raw), `\u0000`, "\uFFFD")
	}
	return norm(a) == norm(b)
}

func TestText_StorableAndCutOnCharacters(t *testing.T) {
	db := testenv.DB(t)
	long := strings.Repeat("é", 300) // 600 bytes: byte 500 falls inside no character, 499 does
	cases := []struct {
		in  string
		max int
	}{
		{long, 499}, {long, 500}, {"a\x00b", 0}, {"bad \xff\xfe bytes", 0},
		{strings.Repeat("😀", 10), 7}, {"ok", 500}, {"\xf0\x9f", 1},
	}
	for _, c := range cases {
		got := pgsafe.Text(c.in, c.max)
		if !utf8.ValidString(got) || strings.ContainsRune(got, 0) {
			t.Errorf("Text(%q, %d) = %q: not valid text", c.in, c.max, got)
		}
		if c.max > 0 && len(got) > c.max {
			t.Errorf("Text(%q, %d) is %d bytes", c.in, c.max, len(got))
		}
		var back string
		if err := db.QueryRow(`SELECT $1::text`, got).Scan(&back); err != nil || back != got {
			t.Errorf("PostgreSQL stores Text(%q, %d) = %q as %q (%v)", c.in, c.max, got, back, err)
		}
	}
	if got := pgsafe.Text(long, 501); len(got) != 500 {
		t.Errorf("cut at 501 bytes of two-byte characters gave %d bytes, want 500", len(got))
	}
}

// The rows PostgreSQL refuses are set aside one by one; every other row
// of the batch is written.
func TestIsolate_SetsAsideOnlyRefusedRows(t *testing.T) {
	db := testenv.DB(t)
	if _, err := db.Exec(`CREATE TEMP TABLE t (v jsonb)`); err != nil {
		t.Fatal(err)
	}
	// db is a pool: keep the temporary table on one connection.
	db.SetMaxOpenConns(1)
	rows := []string{`1`, `2`, `1e999999`, `3`, `{"a":"\u0000"}`, `4`, `5`, `6`, `7`}
	writes := 0
	write := func(batch []string) error {
		writes++
		_, err := db.Exec(`INSERT INTO t SELECT unnest($1::text[])::jsonb`, pq.Array(batch))
		return err
	}
	var aside []string
	err := pgsafe.Isolate(rows, write, func(v string, err error) error {
		if !pgsafe.Refused(err) {
			t.Errorf("set aside %s for %v, not a refusal", v, err)
		}
		aside = append(aside, v)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{`1e999999`, `{"a":"\u0000"}`}; !slices.Equal(aside, want) {
		t.Errorf("set aside %v, want %v", aside, want)
	}
	var n int
	if err := db.Get(&n, `SELECT count(*) FROM t`); err != nil || n != 7 {
		t.Errorf("%d rows written (%v), want 7", n, err)
	}
	if writes > 2*len(rows) {
		t.Errorf("%d writes for %d rows", writes, len(rows))
	}
}

func TestIsolate_OtherErrorsEndIt(t *testing.T) {
	boom := errors.New("connection reset")
	calls := 0
	err := pgsafe.Isolate([]int{1, 2, 3}, func([]int) error { calls++; return boom },
		func(int, error) error { t.Error("set aside on a connection error"); return nil })
	if !errors.Is(err, boom) || calls != 1 {
		t.Errorf("Isolate = %v after %d writes, want the error after 1", err, calls)
	}
}
