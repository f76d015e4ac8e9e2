package bot

import (
	"html"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/staff"
)

func TestPageAt(t *testing.T) {
	cases := []struct {
		name               string
		offset, per, total int
		want               aspPage
	}{
		{"empty", 0, 5, 0, aspPage{Number: 1, Count: 1, Offset: 0, Prev: -1, Next: -1}},
		{"one page", 0, 5, 5, aspPage{Number: 1, Count: 1, Offset: 0, Prev: -1, Next: -1}},
		{"first of three", 0, 5, 11, aspPage{Number: 1, Count: 3, Offset: 0, Prev: -1, Next: 5}},
		{"middle", 5, 5, 11, aspPage{Number: 2, Count: 3, Offset: 5, Prev: 0, Next: 10}},
		{"last partial", 10, 5, 11, aspPage{Number: 3, Count: 3, Offset: 10, Prev: 5, Next: -1}},
		{"past the end clamps", 50, 5, 11, aspPage{Number: 3, Count: 3, Offset: 10, Prev: 5, Next: -1}},
		{"negative clamps", -3, 5, 11, aspPage{Number: 1, Count: 3, Offset: 0, Prev: -1, Next: 5}},
		{"off boundary rounds down", 7, 5, 11, aspPage{Number: 2, Count: 3, Offset: 5, Prev: 0, Next: 10}},
		{"zero per is one", 1, 0, 2, aspPage{Number: 2, Count: 2, Offset: 1, Prev: 0, Next: -1}},
		{"shrunk list", 10, 5, 10, aspPage{Number: 2, Count: 2, Offset: 5, Prev: 0, Next: -1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := aspPageAt(c.offset, c.per, c.total); got != c.want {
				t.Errorf("aspPageAt(%d,%d,%d) = %+v, want %+v", c.offset, c.per, c.total, got, c.want)
			}
		})
	}
}

func TestSnippet(t *testing.T) {
	cases := []struct {
		in   string
		n    int
		want string
	}{
		{"Lampu  jalan\nmati", 50, "Lampu jalan mati"},
		{"abcdefghij", 5, "abcd…"},
		{"a<b>&c", 50, "a&lt;b&gt;&amp;c"},
		{"jalan & jembatan rusak", 8, "jalan &amp;…"},
		{"ééééé", 3, "éé…"},
	}
	for _, c := range cases {
		if got := aspSnippet(c.in, c.n); got != c.want {
			t.Errorf("aspSnippet(%q,%d) = %q, want %q", c.in, c.n, got, c.want)
		}
	}
}

func TestTicketCard_AnonymousHidesName(t *testing.T) {
	now := time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
	tk := aspirations.Ticket{Number: "ASP-2026-000001", Category: "lainnya", Status: "baru",
		Text: "Jalan <rusak>", ResidentName: "Budi Santoso", Anonymous: true, CreatedAt: now.Add(-72 * time.Hour)}
	card := aspCard(tk, nil, now)
	if strings.Contains(card, "Budi") {
		t.Fatalf("anonymous card shows the name: %q", card)
	}
	for _, want := range []string{"ASP-2026-000001", "anonim", "3 hari lalu", "Jalan &lt;rusak&gt;"} {
		if !strings.Contains(card, want) {
			t.Errorf("card lacks %q: %q", want, card)
		}
	}
	tk.Anonymous = false
	if card := aspCard(tk, nil, now); !strings.Contains(card, "Budi Santoso") {
		t.Errorf("named card lacks the name: %q", card)
	}
}

func TestTicketCard_StaysShort(t *testing.T) {
	now := time.Now()
	tk := aspirations.Ticket{Number: "ASP-2026-000002", Category: "lainnya", Status: "diproses",
		Text: strings.Repeat("&", 4000), CreatedAt: now}
	var msgs []aspirations.Message
	for range 20 {
		msgs = append(msgs, aspirations.Message{From: staff.RoleResident, Text: strings.Repeat("x", 1000)})
	}
	card := aspCard(tk, msgs, now)
	if visible := utf8.RuneCountInString(html.UnescapeString(card)); visible > 4096 {
		t.Fatalf("card has %d visible characters", visible)
	}
}

func TestQueueText(t *testing.T) {
	now := time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
	ts := []aspirations.Ticket{
		{Number: "ASP-2026-000006", Category: "lainnya", Status: "baru", Text: "satu", CreatedAt: now.Add(-5 * time.Hour)},
		{Number: "ASP-2026-000007", Category: "lainnya", Status: "diproses", Text: "dua", CreatedAt: now.Add(-10 * time.Minute)},
	}
	got := aspQueueText(ts, aspPageAt(5, 5, 7), 7, now)
	for _, want := range []string{"7 tiket", "halaman 2/2", "6. <b>ASP-2026-000006</b>", "5 jam lalu", "7. <b>ASP-2026-000007</b>", "10 menit lalu"} {
		if !strings.Contains(got, want) {
			t.Errorf("queue lacks %q:\n%s", want, got)
		}
	}
	if got := aspQueueText(nil, aspPageAt(0, 5, 0), 0, now); !strings.Contains(got, "kosong") {
		t.Errorf("empty queue text = %q", got)
	}
}

func TestAttachmentOf(t *testing.T) {
	cases := []struct {
		name     string
		m        *models.Message
		wantKind aspAttachKind
		want     *aspirations.Attachment
	}{
		{"nil", nil, aspAttachNone, nil},
		{"text", &models.Message{Text: "halo"}, aspAttachNone, nil},
		{"photo largest", &models.Message{Photo: []models.PhotoSize{
			{FileID: "s", Width: 90, Height: 90}, {FileID: "l", Width: 1280, Height: 960}, {FileID: "m", Width: 320, Height: 240}}},
			aspAttachOK, &aspirations.Attachment{Kind: "photo", FileID: "l"}},
		{"document", &models.Message{Document: &models.Document{FileID: "d", FileName: "a.pdf", MimeType: "application/pdf"}},
			aspAttachOK, &aspirations.Attachment{Kind: "document", FileID: "d", FileName: "a.pdf", MIME: "application/pdf"}},
		{"location", &models.Message{Location: &models.Location{Latitude: -7.9, Longitude: 112.6}},
			aspAttachOK, &aspirations.Attachment{Kind: "location", Lat: -7.9, Lon: 112.6}},
		{"sticker", &models.Message{Sticker: &models.Sticker{FileID: "x"}}, aspAttachUnsupported, nil},
		{"voice", &models.Message{Voice: &models.Voice{FileID: "x"}}, aspAttachUnsupported, nil},
		{"video", &models.Message{Video: &models.Video{FileID: "x"}}, aspAttachUnsupported, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, kind := aspAttachmentOf(c.m)
			if kind != c.wantKind {
				t.Fatalf("kind = %v, want %v", kind, c.wantKind)
			}
			if (got == nil) != (c.want == nil) || (got != nil && *got != *c.want) {
				t.Fatalf("attachment = %+v, want %+v", got, c.want)
			}
		})
	}
}

func TestForwardedText(t *testing.T) {
	chat := &models.MessageOrigin{Type: models.MessageOriginTypeChat,
		MessageOriginChat: &models.MessageOriginChat{SenderChat: models.Chat{Title: "Info Warga"}}}
	user := &models.MessageOrigin{Type: models.MessageOriginTypeUser,
		MessageOriginUser: &models.MessageOriginUser{SenderUser: models.User{FirstName: "Siti"}}}
	cases := []struct {
		name string
		m    *models.Message
		want string
	}{
		{"not forwarded", &models.Message{Text: "halo"}, ""},
		{"from group", &models.Message{Text: "Vaksin berbahaya!", ForwardOrigin: chat}, "[Diteruskan dari Info Warga]\nVaksin berbahaya!"},
		{"from person hides name", &models.Message{Text: "Bansos cair", ForwardOrigin: user}, "[Diteruskan dari pengguna lain]\nBansos cair"},
		{"caption", &models.Message{Caption: "Foto banjir", Photo: []models.PhotoSize{{FileID: "p"}}, ForwardOrigin: chat}, "[Diteruskan dari Info Warga]\nFoto banjir"},
		{"no text", &models.Message{Sticker: &models.Sticker{}, ForwardOrigin: chat}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := aspForwardedText(c.m); got != c.want {
				t.Errorf("aspForwardedText = %q, want %q", got, c.want)
			}
		})
	}
}
