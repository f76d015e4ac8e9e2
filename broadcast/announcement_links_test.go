package broadcast_test

import (
	"testing"

	"github.com/kimbot/kimbot/broadcast"
)

func TestParseLinkLine(t *testing.T) {
	tests := []struct {
		line, text, url string
		ok              bool
	}{
		{"Info | https://malangkota.go.id", "Info", "https://malangkota.go.id", true},
		{"  Daftar   vaksin |malangkota.go.id ", "Daftar vaksin", "https://malangkota.go.id", true},
		{"Daftar: https://a.go.id/x?y=1", "Daftar", "https://a.go.id/x?y=1", true},
		{"A | B | https://a.go.id", "A | B", "https://a.go.id", true},
		{"https://a.go.id", "", "", false},
		{"hanya teks", "", "", false},
		{"Teks |", "", "", false},
	}
	for _, tt := range tests {
		b, ok := broadcast.ParseLinkLine(tt.line)
		if ok != tt.ok || b.Text != tt.text || b.URL != tt.url {
			t.Errorf("ParseLinkLine(%q) = %+v, %v", tt.line, b, ok)
		}
	}
}
