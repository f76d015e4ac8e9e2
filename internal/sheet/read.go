package sheet

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// MaxReadBytes caps a file ReadRows takes: a city's list of a few
// hundred rows is tens of kilobytes.
const MaxReadBytes = 4 << 20

// MaxReadRows caps the rows ReadRows returns (a province has about
// 8,500 villages).
const MaxReadRows = 20000

// ErrUnreadable is a file that is neither an .xlsx workbook nor text CSV.
var ErrUnreadable = errors.New("not an .xlsx workbook or a CSV file")

// ReadRows returns the cells of an .xlsx workbook's first sheet, or of a
// CSV file separated by ";" or "," (Excel writes ";" where the list
// separator is Indonesian), as text with surrounding spaces trimmed.
// Dates in a workbook come as Excel serial numbers (see ParseDate).
// Empty rows are dropped; lines[i] is the 1-based line of rows[i] in the
// file, for messages that point at it.
func ReadRows(data []byte) (rows [][]string, lines []int, err error) {
	if len(data) > MaxReadBytes {
		return nil, nil, fmt.Errorf("file is over %d MB", MaxReadBytes>>20)
	}
	var raw [][]string
	var at []int
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		raw, err = readXLSX(data)
		for i := range raw {
			at = append(at, i+1)
		}
	} else {
		raw, at, err = readCSV(data)
	}
	if err != nil {
		return nil, nil, err
	}
	for i, r := range raw {
		empty := true
		for j := range r {
			r[j] = strings.TrimSpace(r[j])
			empty = empty && r[j] == ""
		}
		if empty {
			continue
		}
		if len(rows) == MaxReadRows {
			return nil, nil, fmt.Errorf("file has over %d rows", MaxReadRows)
		}
		rows, lines = append(rows, r), append(lines, at[i])
	}
	return rows, lines, nil
}

func readXLSX(data []byte) ([][]string, error) {
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnreadable, err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, ErrUnreadable
	}
	rows, err := f.GetRows(sheets[0], excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrUnreadable, err)
	}
	return rows, nil
}

// readCSV returns each record with the line it starts on (the reader
// skips blank lines, and a quoted cell may span lines).
func readCSV(data []byte) ([][]string, []int, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // Excel's UTF-8 byte order mark
	if !utf8.Valid(data) || bytes.IndexByte(data, 0) >= 0 {
		return nil, nil, fmt.Errorf("%w: save it as CSV UTF-8 or .xlsx", ErrUnreadable)
	}
	first, _, _ := bytes.Cut(data, []byte("\n"))
	r := csv.NewReader(bytes.NewReader(data))
	if bytes.Count(first, []byte(";")) > bytes.Count(first, []byte(",")) {
		r.Comma = ';'
	}
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	var rows [][]string
	var lines []int
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return rows, lines, nil
		}
		if err != nil {
			return nil, nil, fmt.Errorf("%w: %w", ErrUnreadable, err)
		}
		line, _ := r.FieldPos(0)
		rows, lines = append(rows, rec), append(lines, line)
	}
}

// months are Indonesian month names and their common short forms.
var months = map[string]time.Month{
	"januari": 1, "jan": 1, "februari": 2, "feb": 2, "pebruari": 2, "maret": 3, "mar": 3, "april": 4, "apr": 4,
	"mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "agustus": 8, "agu": 8, "agt": 8, "ags": 8,
	"september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11, "nop": 11,
	"desember": 12, "des": 12,
}

// ParseDate reads a calendar day the ways offices write one: 2019-03-04,
// 04/03/2019 or 4-3-2019 (day first, as in Indonesia), "4 Maret 2019",
// or an Excel serial day number (43528). The result is midnight UTC.
func ParseDate(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	// Serials 10000..80000 are 1927..2119: a bare year such as "2019" is not a day.
	if n, err := strconv.ParseFloat(s, 64); err == nil && n >= 10000 && n < 80000 {
		return excelize.ExcelDateToTime(n, false)
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t, nil
	}
	if parts := strings.FieldsFunc(s, func(r rune) bool { return r == '/' || r == '-' || r == '.' }); len(parts) == 3 {
		d, e1 := strconv.Atoi(parts[0])
		m, e2 := strconv.Atoi(parts[1])
		y, e3 := strconv.Atoi(parts[2])
		if e1 == nil && e2 == nil && e3 == nil {
			return day(y, time.Month(m), d)
		}
	}
	if parts := strings.Fields(s); len(parts) == 3 {
		d, e1 := strconv.Atoi(parts[0])
		m, ok := months[strings.ToLower(parts[1])]
		y, e3 := strconv.Atoi(parts[2])
		if e1 == nil && ok && e3 == nil {
			return day(y, m, d)
		}
	}
	return time.Time{}, fmt.Errorf("date %q: write it as 2019-03-04 or 04/03/2019", s)
}

func day(y int, m time.Month, d int) (time.Time, error) {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if y < 1000 || t.Day() != d || t.Month() != m {
		return time.Time{}, fmt.Errorf("no such date %d-%02d-%02d", y, m, d)
	}
	return t, nil
}
