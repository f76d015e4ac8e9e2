package poster_test

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"strings"
	"testing"

	"github.com/makiuchi-d/gozxing"
	zxqr "github.com/makiuchi-d/gozxing/qrcode"

	"github.com/kimbot/kimbot/poster"
)

func TestRender_QRDecodesToLink(t *testing.T) {
	tests := []struct{ link, title, subtitle string }{
		{"https://t.me/kimbot_test_bot?start=3573051003", "Tlogomas", "Kec. Lowokwaru, Kota Malang"},
		{"https://t.me/a2345678901234567890123456789012?start=1308012001",
			"Kampuang Tanjuang Koto Mambang Sungai Durian", "Kec. Patamuan, Kabupaten Padang Pariaman"},
		{"https://t.me/kimbot_bot?start=9471021001", "Soka'an", ""},
	}
	for _, tt := range tests {
		t.Run(tt.title, func(t *testing.T) {
			var buf bytes.Buffer
			if err := poster.Render(&buf, tt.link, tt.title, tt.subtitle); err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(&buf)
			if err != nil {
				t.Fatalf("not a PNG: %v", err)
			}
			if w := img.Bounds().Dx(); w < 1000 {
				t.Fatalf("width %d px, want at least 1000 for print", w)
			}
			text, level := decodeQR(t, img)
			if text != tt.link || level != "H" {
				t.Fatalf("QR = %q at level %s, want %q at H", text, level, tt.link)
			}
		})
	}
}

// qrArea is the height the poster gives the QR code and its quiet zone.
const qrArea = 1080

func TestRender_QuietZoneAndCaption(t *testing.T) {
	var buf bytes.Buffer
	if err := poster.Render(&buf, "https://t.me/kimbot_test_bot?start=3573051003", "Tlogomas", "Kec. Lowokwaru, Kota Malang"); err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(&buf)
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	// The QR symbol (a square of dark finder patterns) starts well inside
	// the image: at least 4 modules of white around it.
	qr := darkBounds(img, image.Rect(0, 0, b.Dx(), qrArea))
	module := qr.Dx() / 37 // a version-5 symbol at least; modules are wider for smaller versions
	if qr.Min.X < 4*module || qr.Min.Y < 4*module || b.Dx()-qr.Max.X < 4*module || qrArea-qr.Max.Y < 4*module {
		t.Fatalf("QR symbol at %v in %v leaves no 4-module quiet zone (module ≈ %d px)", qr, b, module)
	}
	if qr.Dx() < 800 {
		t.Fatalf("QR symbol only %d px wide", qr.Dx())
	}
	// Under the symbol: title, subtitle and link lines, each with ink.
	caption := darkBounds(img, image.Rect(0, qrArea, b.Dx(), b.Dy()))
	if caption.Empty() || caption.Dy() < 100 {
		t.Fatalf("caption under the QR code spans %v, want three lines of text", caption)
	}
	if caption.Max.Y > b.Dy()-20 || caption.Min.X < 20 || caption.Max.X > b.Dx()-20 {
		t.Fatalf("caption %v runs into the edge of %v", caption, b)
	}
}

func TestRender_RejectsEmptyLink(t *testing.T) {
	if err := poster.Render(&bytes.Buffer{}, "", "Tlogomas", ""); err == nil {
		t.Fatal("an empty link must be refused")
	}
}

func TestValidBotUsername(t *testing.T) {
	tests := []struct {
		name string
		ok   bool
	}{
		{"kimbot_test_bot", true},
		{"KimBot", true},
		{"abcde", true},
		{"a2345678901234567890123456789012", true},
		{"a23456789012345678901234567890123", false}, // 33
		{"abcd", false},
		{"kim-bot", false},
		{"kim bot", false},
		{"@kimbot", false},
		{"1kimbot", false},
		{"_kimbot", false},
		{"kimböt", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := poster.ValidBotUsername(tt.name); got != tt.ok {
			t.Errorf("ValidBotUsername(%q) = %v, want %v", tt.name, got, tt.ok)
		}
	}
}

func TestSlug(t *testing.T) {
	tests := map[string]string{
		"Tlogomas":                  "tlogomas",
		"Soka'an Daya":              "soka-an-daya",
		"  Kota  Baru (Selatan) ":   "kota-baru-selatan",
		"Kampung Bali II":           "kampung-bali-ii",
		"Désa Ümbul":                "d-sa-mbul",
		"'''":                       "desa",
		"Kelurahan 17 Agustus 1945": "kelurahan-17-agustus-1945",
	}
	for in, want := range tests {
		if got := poster.Slug(in); got != want {
			t.Errorf("Slug(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzSlug(f *testing.F) {
	for _, s := range []string{"Tlogomas", "Soka'an", "", "--", "Ünïcödé 2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, name string) {
		s := poster.Slug(name)
		if s == "" || strings.HasPrefix(s, "-") || strings.HasSuffix(s, "-") || strings.Contains(s, "--") {
			t.Fatalf("Slug(%q) = %q", name, s)
		}
		for _, r := range s {
			if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
				t.Fatalf("Slug(%q) = %q has %q", name, s, r)
			}
		}
	})
}

// decodeQR reads the QR code in img back with ZXing, returning its text
// and error-correction level.
func decodeQR(t *testing.T, img image.Image) (text, level string) {
	t.Helper()
	bmp, err := gozxing.NewBinaryBitmapFromImage(halve(img))
	if err != nil {
		t.Fatal(err)
	}
	res, err := zxqr.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("decoding the QR code: %v", err)
	}
	if l, ok := res.GetResultMetadata()[gozxing.ResultMetadataType_ERROR_CORRECTION_LEVEL]; ok {
		level, _ = l.(string)
	}
	return res.GetText(), level
}

// halve scales img down by two (nearest pixel), as a phone camera sees a
// poster from a distance; it also keeps decoding fast under -race.
func halve(img image.Image) image.Image {
	g := img.(*image.Gray)
	b := g.Bounds()
	out := image.NewGray(image.Rect(0, 0, b.Dx()/2, b.Dy()/2))
	for y := range out.Rect.Dy() {
		for x := range out.Rect.Dx() {
			out.Pix[out.PixOffset(x, y)] = g.Pix[g.PixOffset(2*x, 2*y)]
		}
	}
	return out
}

// darkBounds is the smallest rectangle within r holding every dark pixel.
func darkBounds(img image.Image, r image.Rectangle) image.Rectangle {
	g, ok := img.(*image.Gray)
	if !ok {
		panic("poster: want a grey PNG")
	}
	r = r.Intersect(g.Bounds())
	out := image.Rectangle{}
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if g.Pix[g.PixOffset(x, y)] < 0x80 {
				out = out.Union(image.Rect(x, y, x+1, y+1))
			}
		}
	}
	return out
}

func readPNG(t *testing.T, path string) image.Image {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return img
}
