package sheet

import "testing"

func TestParseDate_TheWaysOfficesWriteADay(t *testing.T) {
	for _, s := range []string{"2019-03-04", "04/03/2019", "4-3-2019", "4.3.2019", "4 Maret 2019", "04 mar 2019", "43528"} {
		d, err := ParseDate(s)
		if err != nil || d.Format("2006-01-02") != "2019-03-04" {
			t.Errorf("%q: %v, %v", s, d, err)
		}
	}
	for _, s := range []string{"31/02/2020", "2019", "kemarin", "13/13/2019", "4 Maret"} {
		if d, err := ParseDate(s); err == nil {
			t.Errorf("%q accepted as %v", s, d)
		}
	}
}

func TestReadRows_KeepsLinesAndRefusesBinary(t *testing.T) {
	rows, lines, err := ReadRows([]byte("\xef\xbb\xbfa;b\n\n\"x\ny\";2\n3;4\n"))
	if err != nil || len(rows) != 3 || lines[1] != 3 || lines[2] != 5 || rows[1][0] != "x\ny" {
		t.Fatalf("rows %q lines %v err %v", rows, lines, err)
	}
	if _, _, err := ReadRows([]byte("\x00\x01binary")); err == nil {
		t.Fatal("binary read as CSV")
	}
}
