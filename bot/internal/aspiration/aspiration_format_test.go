package aspiration

import (
	"html"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/go-telegram/bot/models"

	"github.com/kimbot/kimbot/aspirations"
	"github.com/kimbot/kimbot/bot/internal/chat"
	"github.com/kimbot/kimbot/staff"
)

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
		if got := snippet(c.in, c.n); got != c.want {
			t.Errorf("snippet(%q,%d) = %q, want %q", c.in, c.n, got, c.want)
		}
	}
}

func TestTicketCard_AnonymousHidesName(t *testing.T) {
	now := time.Date(2026, 5, 4, 10, 0, 0, 0, time.UTC)
	tk := aspirations.Ticket{Number: "ASP-2026-000001", Category: "lainnya", Status: "baru",
		Text: "Jalan <rusak>", ResidentName: "Budi Santoso", Anonymous: true, CreatedAt: now.Add(-72 * time.Hour)}
	card := ticketCard(tk, nil, now)
	if strings.Contains(card, "Budi") {
		t.Fatalf("anonymous card shows the name: %q", card)
	}
	for _, want := range []string{"ASP-2026-000001", "anonim", "3 hari lalu", "Jalan &lt;rusak&gt;"} {
		if !strings.Contains(card, want) {
			t.Errorf("card lacks %q: %q", want, card)
		}
	}
	tk.Anonymous = false
	if card := ticketCard(tk, nil, now); !strings.Contains(card, "Budi Santoso") {
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
	card := ticketCard(tk, msgs, now)
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
	got := queueText(ts, chat.PageAt(5, 5, 7), 7, now)
	for _, want := range []string{"7 tiket", "halaman 2/2", "6. <b>ASP-2026-000006</b>", "5 jam lalu", "7. <b>ASP-2026-000007</b>", "10 menit lalu"} {
		if !strings.Contains(got, want) {
			t.Errorf("queue lacks %q:\n%s", want, got)
		}
	}
	if got := queueText(nil, chat.PageAt(0, 5, 0), 0, now); !strings.Contains(got, "kosong") {
		t.Errorf("empty queue text = %q", got)
	}
}

func TestAttachmentOf(t *testing.T) {
	cases := []struct {
		name     string
		m        *models.Message
		wantKind attachKind
		want     *aspirations.Attachment
	}{
		{"nil", nil, attachNone, nil},
		{"text", &models.Message{Text: "halo"}, attachNone, nil},
		{"photo largest", &models.Message{Photo: []models.PhotoSize{
			{FileID: "s", Width: 90, Height: 90}, {FileID: "l", Width: 1280, Height: 960}, {FileID: "m", Width: 320, Height: 240}}},
			attachOK, &aspirations.Attachment{Kind: "photo", FileID: "l"}},
		{"document", &models.Message{Document: &models.Document{FileID: "d", FileName: "a.pdf", MimeType: "application/pdf"}},
			attachOK, &aspirations.Attachment{Kind: "document", FileID: "d", FileName: "a.pdf", MIME: "application/pdf"}},
		{"location", &models.Message{Location: &models.Location{Latitude: -7.9, Longitude: 112.6}},
			attachOK, &aspirations.Attachment{Kind: "location", Lat: -7.9, Lon: 112.6}},
		{"sticker", &models.Message{Sticker: &models.Sticker{FileID: "x"}}, attachUnsupported, nil},
		{"voice", &models.Message{Voice: &models.Voice{FileID: "x"}}, attachUnsupported, nil},
		{"video", &models.Message{Video: &models.Video{FileID: "x"}}, attachUnsupported, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, kind := attachmentOf(c.m)
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
			if got := forwardedText(c.m); got != c.want {
				t.Errorf("forwardedText = %q, want %q", got, c.want)
			}
		})
	}
}
