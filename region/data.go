package region

import (
	"compress/gzip"
	"embed"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
	"unicode"
)

// The data of idn-area-data 3.1.2 (ODbL 1.0; licence and attribution in
// data/LICENSE-ODbL.md and data/SOURCE.md, shipped in the binary with it).
//
//go:embed data/*.csv.gz data/LICENSE-ODbL.md data/SOURCE.md
var dataFS embed.FS

// DataVersion names the shipped data set; it changes when the data does.
const DataVersion = "idn-area-data 3.1.2"

// Licence returns the ODbL text that must travel with the data.
func Licence() string {
	b, _ := dataFS.ReadFile("data/LICENSE-ODbL.md")
	return string(b)
}

// Region is one row of the hierarchy.
type Region struct {
	Code       Code   `db:"code"`
	ParentCode Code   `db:"parent_code"`
	Level      Level  `db:"level"`
	Name       string `db:"name"`
}

// dataFiles lists the shipped files in parent-first order.
var dataFiles = [...]struct {
	file  string
	level Level
}{
	{"data/provinces.csv.gz", Province},
	{"data/regencies.csv.gz", Regency},
	{"data/districts.csv.gz", District},
	{"data/villages.csv.gz", Village},
}

// readAll calls fn for every shipped region, parents before children.
func readAll(fn func(Region) error) error {
	for _, f := range dataFiles {
		if err := readFile(f.file, f.level, fn); err != nil {
			return fmt.Errorf("reading %s: %w", f.file, err)
		}
	}
	return nil
}

func readFile(name string, level Level, fn func(Region) error) error {
	fh, err := dataFS.Open(name)
	if err != nil {
		return err
	}
	defer fh.Close()
	gz, err := gzip.NewReader(fh)
	if err != nil {
		return err
	}
	r := csv.NewReader(gz)
	r.ReuseRecord = true
	r.LazyQuotes = true                 // the source writes Soka"an for Soka'an, unquoted
	if _, err := r.Read(); err != nil { // header
		return err
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		reg := Region{Code: Code(rec[0]), Level: level}
		if level == Province {
			reg.Name = displayName(rec[1])
		} else {
			reg.ParentCode, reg.Name = Code(rec[1]), displayName(rec[2])
		}
		if err := fn(reg); err != nil {
			return err
		}
	}
}

// displayName turns the upper-case province and regency names of the source
// ("KOTA MALANG") into the form people write ("Kota Malang"), keeping
// acronyms such as DKI and DI.
func displayName(s string) string {
	s = strings.ReplaceAll(strings.TrimSpace(s), `"`, "'")
	if strings.ToUpper(s) != s {
		return s
	}
	words := strings.Fields(strings.ToLower(s))
	for i, w := range words {
		switch w {
		case "dki", "di":
			words[i] = strings.ToUpper(w)
		default:
			words[i] = capitalise(w)
		}
	}
	return strings.Join(words, " ")
}

func capitalise(w string) string {
	rs := []rune(w)
	for i, r := range rs {
		if unicode.IsLetter(r) {
			rs[i] = unicode.ToUpper(r)
			break
		}
	}
	return string(rs)
}

// SearchKey folds a name for forgiving search: lower case, letters and
// digits only, so "Tlogo Mas", "tlogomas" and "TLOGO-MAS" are equal.
func SearchKey(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}
