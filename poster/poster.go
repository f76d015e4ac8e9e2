// Package poster draws the printable QR posters that let a resident
// subscribe to their village in one tap: the QR code of the bot's deep
// link with the village's name under it. It must not know about
// subscriptions or Telegram: it only draws a link it is given.
package poster

import (
	"bufio"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"strings"

	qrcode "github.com/skip2/go-qrcode"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// Width is the poster's width in pixels: about 10 cm at 300 dpi, enough
// for an A5/A4 print to stay sharp.
const Width = 1200

const (
	margin      = 60   // left, right and bottom margin of the text
	qrSide      = 1080 // the most the QR code (with its quiet zone) may take
	titleMax    = 76   // title font size when the name fits on one line
	titleMin    = 40   // smallest title size before the name is cut
	subtitlePx  = 44
	linkPx      = 30
	maxTitleRow = 2 // long names ("Kampuang Tanjuang Koto Mambang ...") wrap once
)

var (
	boldFont    = mustParse(gobold.TTF)
	regularFont = mustParse(goregular.TTF)
	ink         = color.Gray{Y: 0x00}
	grey        = color.Gray{Y: 0x55}
)

func mustParse(ttf []byte) *opentype.Font {
	f, err := opentype.Parse(ttf)
	if err != nil {
		panic(fmt.Sprintf("poster: parsing embedded Go font: %v", err)) // compiled-in data; cannot fail at run time
	}
	return f
}

// Render writes a printable PNG poster: the QR code of link at the
// highest error correction with its quiet zone, then title (the village
// name), subtitle ("Kec. Lowokwaru, Kota Malang") and the link itself for
// those who cannot scan.
func Render(w io.Writer, link, title, subtitle string) error {
	if link == "" {
		return fmt.Errorf("drawing poster: empty link")
	}
	q, err := qrcode.New(link, qrcode.Highest)
	if err != nil {
		return fmt.Errorf("encoding QR code: %w", err)
	}
	titleFace, titleLines, err := fitTitle(title)
	if err != nil {
		return err
	}
	defer titleFace.Close()
	sub, err := newFace(regularFont, subtitlePx)
	if err != nil {
		return err
	}
	defer sub.Close()
	small, err := newFace(regularFont, linkPx)
	if err != nil {
		return err
	}
	defer small.Close()

	modules := q.Bitmap() // includes the 4-module quiet zone
	px := qrSide / len(modules)
	top := 0
	height := len(modules)*px + len(titleLines)*lineHeight(titleFace) + lineHeight(sub) + lineHeight(small) + margin
	img := image.NewGray(image.Rect(0, 0, Width, height))
	for i := range img.Pix {
		img.Pix[i] = 0xff // white; draw.Draw has no fast path for grey images
	}
	drawModules(img, modules, (Width-len(modules)*px)/2, top, px)

	y := top + len(modules)*px
	for _, line := range titleLines {
		y += lineHeight(titleFace)
		drawCentered(img, titleFace, line, y, ink)
	}
	y += lineHeight(sub)
	drawCentered(img, sub, clip(sub, subtitle), y, ink)
	y += lineHeight(small)
	drawCentered(img, small, clip(small, link), y, grey)

	bw := bufio.NewWriter(w)
	// Best speed: a poster is mostly flat white and black, so it stays
	// small anyway, and a city's thousand posters render in seconds.
	enc := png.Encoder{CompressionLevel: png.BestSpeed}
	if err := enc.Encode(bw, img); err != nil {
		return fmt.Errorf("writing poster PNG: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("writing poster PNG: %w", err)
	}
	return nil
}

// drawModules paints the dark modules as px-sized black squares at (x0, y0).
func drawModules(img *image.Gray, modules [][]bool, x0, y0, px int) {
	for r, row := range modules {
		for c, dark := range row {
			if dark {
				fillBlack(img, image.Rect(x0+c*px, y0+r*px, x0+(c+1)*px, y0+(r+1)*px))
			}
		}
	}
}

func fillBlack(img *image.Gray, r image.Rectangle) {
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := img.Pix[img.PixOffset(r.Min.X, y):img.PixOffset(r.Max.X, y)]
		for i := range row {
			row[i] = 0
		}
	}
}

func newFace(f *opentype.Font, sizePx float64) (font.Face, error) {
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: sizePx, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		return nil, fmt.Errorf("preparing poster font: %w", err)
	}
	return face, nil
}

// fitTitle picks the largest title size at which the name fits in at most
// maxTitleRow lines; a name too long even then is cut with an ellipsis.
func fitTitle(title string) (font.Face, []string, error) {
	title = strings.Join(strings.Fields(title), " ")
	for size := titleMax; ; size -= 4 {
		face, err := newFace(boldFont, float64(size))
		if err != nil {
			return nil, nil, err
		}
		lines := wrap(face, title)
		if len(lines) <= maxTitleRow || size <= titleMin {
			if len(lines) > maxTitleRow {
				lines = append(lines[:maxTitleRow-1], clip(face, strings.Join(lines[maxTitleRow-1:], " ")))
			}
			return face, lines, nil
		}
		face.Close()
	}
}

// wrap breaks text into lines no wider than the text area, word by word.
func wrap(face font.Face, text string) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(text) {
		next := strings.TrimSpace(line + " " + word)
		if line != "" && !fits(face, next) {
			lines = append(lines, line)
			next = word
		}
		line = next
	}
	if line != "" || len(lines) == 0 {
		lines = append(lines, clip(face, line))
	}
	return lines
}

func fits(face font.Face, s string) bool {
	return font.MeasureString(face, s).Ceil() <= Width-2*margin
}

// clip shortens s with an ellipsis until it fits the text area.
func clip(face font.Face, s string) string {
	if fits(face, s) {
		return s
	}
	rs := []rune(s)
	for len(rs) > 0 && !fits(face, string(rs)+"…") {
		rs = rs[:len(rs)-1]
	}
	return strings.TrimSpace(string(rs)) + "…"
}

func lineHeight(face font.Face) int {
	m := face.Metrics()
	return (m.Ascent + m.Descent).Ceil() + m.Height.Ceil()/4
}

// drawCentered draws s centred horizontally with its baseline a descent
// above y, the bottom of its line.
func drawCentered(img draw.Image, face font.Face, s string, y int, c color.Color) {
	d := &font.Drawer{Dst: img, Src: image.NewUniform(c), Face: face}
	x := (Width - d.MeasureString(s).Ceil()) / 2
	d.Dot = fixed.P(x, y-face.Metrics().Descent.Ceil())
	d.DrawString(s)
}
