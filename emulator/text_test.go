package emulator

import (
	"bytes"
	"mime/multipart"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

func TestCommandEntities(t *testing.T) {
	cases := []struct {
		text string
		want []wEntity
	}{
		{"/start", []wEntity{{"bot_command", 0, 6}}},
		{"/start 3573051003", []wEntity{{"bot_command", 0, 6}}},
		{"/start@kimbot_test_bot", []wEntity{{"bot_command", 0, 22}}},
		{"привет /start", []wEntity{{"bot_command", 7, 6}}},
		{"👋 /bantuan", []wEntity{{"bot_command", 3, 8}}},
		{"Hai 👋👋 /wilayah dan /berhenti", []wEntity{{"bot_command", 9, 8}, {"bot_command", 22, 9}}},
		{"a/b", nil},
		{"/", nil},
		{"//start", nil},
		{"http://x.id/start", nil},
		{"halo", nil},
		{"/start@", []wEntity{{"bot_command", 0, 6}}},
	}
	for _, c := range cases {
		if got := commandEntities(c.text); !reflect.DeepEqual(got, c.want) {
			t.Errorf("commandEntities(%q) = %v, want %v", c.text, got, c.want)
		}
	}
}

func TestInjectedEntitiesUseUTF16Offsets(t *testing.T) {
	s := NewTestServer(t, Options{})
	s.SendText(budi, "Saya 🙏 mau /start")
	var us []struct {
		Message struct {
			Text     string    `json:"text"`
			Entities []wEntity `json:"entities"`
		} `json:"message"`
	}
	mustOK(t, call(t, s, "getUpdates", nil), &us)
	e := us[0].Message.Entities
	u := utf16.Encode([]rune(us[0].Message.Text))
	if len(e) != 1 || string(utf16.Decode(u[e[0].Offset:e[0].Offset+e[0].Length])) != "/start" {
		t.Fatalf("entities %v do not point at /start in UTF-16", e)
	}
}

func TestTextValidation(t *testing.T) {
	s := NewTestServer(t, Options{Unlimited: true})
	s.SendText(budi, "hai")
	msg := func(f map[string]string) map[string]string {
		base := map[string]string{"chat_id": "1001"}
		for k, v := range f {
			base[k] = v
		}
		return base
	}
	keyboard := func(data string) string {
		return `{"inline_keyboard":[[{"text":"A","callback_data":"` + data + `","copy_text":{"text":""}}]]}`
	}
	cases := []struct {
		name   string
		method string
		fields map[string]string
		desc   string // "" = must succeed
	}{
		{"max text", "sendMessage", msg(map[string]string{"text": strings.Repeat("a", 4096)}), ""},
		{"text too long", "sendMessage", msg(map[string]string{"text": strings.Repeat("a", 4097)}), "message is too long"},
		{"emoji count twice", "sendMessage", msg(map[string]string{"text": strings.Repeat("😀", 2049)}), "message is too long"},
		{"tags do not count", "sendMessage", msg(map[string]string{"text": "<b>" + strings.Repeat("a", 4096) + "</b>", "parse_mode": "HTML"}), ""},
		{"empty text", "sendMessage", msg(map[string]string{"text": ""}), "message text is empty"},
		{"blank html", "sendMessage", msg(map[string]string{"text": "<b> </b>", "parse_mode": "HTML"}), "message text is empty"},
		{"zero-width spaces", "sendMessage", msg(map[string]string{"text": "\u200b\u200b\u200b\u200b\u200b"}), "message text is empty"},
		{"invisible html", "sendMessage", msg(map[string]string{"text": "<i>\u200d&#8203;\ufeff\u00a0\n</i>", "parse_mode": "HTML"}), "message text is empty"},
		{"emoji with joiner is text", "sendMessage", msg(map[string]string{"text": "\u200b👨\u200d👩\u200b"}), ""},
		{"entities count once", "sendMessage", msg(map[string]string{"text": strings.Repeat("&amp;", 4096), "parse_mode": "HTML"}), ""},
		{"entities over the limit", "sendMessage", msg(map[string]string{"text": strings.Repeat("&lt;", 4097), "parse_mode": "HTML"}), "message is too long"},
		{"prayers over the limit", "sendMessage", msg(map[string]string{"text": "<b>Jalan rusak</b> " + strings.Repeat("🙏", 2100), "parse_mode": "HTML"}), "message is too long"},
		{"edit counts units too", "editMessageText", msg(map[string]string{"message_id": "1", "text": strings.Repeat("🙏", 2049)}), "message is too long"},
		{"edit to blank", "editMessageText", msg(map[string]string{"message_id": "1", "text": "<b> </b>", "parse_mode": "HTML"}), "message text is empty"},
		{"missing chat", "sendMessage", map[string]string{"text": "x"}, "chat_id is empty"},
		{"unknown chat", "sendMessage", map[string]string{"chat_id": "999", "text": "x"}, "chat not found"},
		{"unbalanced html", "sendMessage", msg(map[string]string{"text": "<b>halo", "parse_mode": "HTML"}), "can't parse entities"},
		{"crossed html", "sendMessage", msg(map[string]string{"text": "<b><i>x</b></i>", "parse_mode": "HTML"}), "can't parse entities"},
		{"unknown tag", "sendMessage", msg(map[string]string{"text": "a <br> b", "parse_mode": "HTML"}), "Unsupported start tag"},
		{"bare lt", "sendMessage", msg(map[string]string{"text": "1 < 2", "parse_mode": "HTML"}), "can't parse entities"},
		{"escaped html", "sendMessage", msg(map[string]string{"text": `<a href="https://x.id/?a=1&amp;b=2">1 &lt; 2 &amp; 3</a>`, "parse_mode": "HTML"}), ""},
		{"no parse mode keeps tags", "sendMessage", msg(map[string]string{"text": "<b>halo"}), ""},
		{"callback data 64", "sendMessage", msg(map[string]string{"text": "x", "reply_markup": keyboard(strings.Repeat("d", 64))}), ""},
		{"callback data 65", "sendMessage", msg(map[string]string{"text": "x", "reply_markup": keyboard(strings.Repeat("d", 65))}), "BUTTON_DATA_INVALID"},
		{"max caption", "sendPhoto", msg(map[string]string{"photo": "AgAC", "caption": strings.Repeat("a", 1024)}), ""},
		{"caption of emoji too long", "sendPhoto", msg(map[string]string{"photo": "AgAC", "caption": strings.Repeat("🙏", 513)}), "message caption is too long"},
		{"caption tags do not count", "sendPhoto", msg(map[string]string{"photo": "AgAC", "caption": "<b>" + strings.Repeat("🙏", 512) + "</b>", "parse_mode": "HTML"}), ""},
		{"blank caption is no caption", "sendPhoto", msg(map[string]string{"photo": "AgAC", "caption": "\u200b"}), ""},
		{"copy caption too long", "copyMessage", msg(map[string]string{"from_chat_id": "1001", "message_id": "1", "caption": strings.Repeat("&amp;", 1025), "parse_mode": "HTML"}), "message caption is too long"},
		{"caption too long", "sendPhoto", msg(map[string]string{"photo": "AgAC", "caption": strings.Repeat("a", 1025)}), "caption is too long"},
		{"document caption too long", "sendDocument", msg(map[string]string{"document": "BQAC", "caption": strings.Repeat("a", 1025)}), "caption is too long"},
		{"no photo", "sendPhoto", msg(nil), "there is no photo"},
		{"edit missing message", "editMessageText", msg(map[string]string{"message_id": "77", "text": "x"}), "message to edit not found"},
		{"copy missing message", "copyMessage", msg(map[string]string{"from_chat_id": "1001", "message_id": "77"}), "message to copy not found"},
		{"delete missing message", "deleteMessage", msg(map[string]string{"message_id": "77"}), "message to delete not found"},
		{"unknown callback query", "answerCallbackQuery", map[string]string{"callback_query_id": "nope"}, "query is too old"},
		{"bad command", "setMyCommands", map[string]string{"commands": `[{"command":"Start!","description":"x"}]`}, "BOT_COMMAND_INVALID"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := call(t, s, c.method, c.fields)
			if c.desc == "" {
				mustOK(t, r, nil)
				return
			}
			wantError(t, r, 400, c.desc)
		})
	}
}

func TestEditCaptionAndMarkup(t *testing.T) {
	s := NewTestServer(t, Options{Unlimited: true})
	s.SendText(budi, "hai")
	mustOK(t, call(t, s, "sendPhoto", map[string]string{"chat_id": "1001", "photo": "AgAC", "caption": "lama"}), nil)
	wantError(t, call(t, s, "editMessageText", map[string]string{"chat_id": "1001", "message_id": "2", "text": "x"}), 400, "no text in the message")
	mustOK(t, call(t, s, "editMessageCaption", map[string]string{"chat_id": "1001", "message_id": "2", "caption": "baru"}), nil)
	kb := `{"inline_keyboard":[[{"text":"Ya","callback_data":"y"}]]}`
	mustOK(t, call(t, s, "editMessageReplyMarkup", map[string]string{"chat_id": "1001", "message_id": "2", "reply_markup": kb}), nil)
	wantError(t, call(t, s, "editMessageReplyMarkup", map[string]string{"chat_id": "1001", "message_id": "2", "reply_markup": kb}), 400, "message is not modified")
	m := s.Messages(budi.ID)[0]
	if m.Text != "baru" || m.Edits != 2 || m.Buttons[0][0].CallbackData != "y" {
		t.Fatalf("after edits: %+v", m)
	}
}

func TestParseParamsEncodings(t *testing.T) {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	_ = mw.WriteField("chat_id", "42")
	_ = mw.WriteField("reply_markup", `{"inline_keyboard":[]}`)
	fw, _ := mw.CreateFormFile("photo", "a.jpg")
	_, _ = fw.Write([]byte("12345"))
	_ = mw.Close()
	p, err := parseParams(mw.FormDataContentType(), &body, nil)
	if err != nil || p.str("chat_id") != "42" || !reflect.DeepEqual(p.files["photo"], upload{Name: "a.jpg", Size: 5, Data: []byte("12345")}) || !strings.HasPrefix(p.str("reply_markup"), "{") {
		t.Fatalf("multipart: %+v %v", p, err)
	}
	p, err = parseParams("multipart/form-data; boundary=xyz", strings.NewReader(""), nil)
	if err != nil || len(p.values) != 0 {
		t.Fatalf("empty multipart (getMe): %+v %v", p, err)
	}
	p, err = parseParams("application/json", strings.NewReader(`{"chat_id":42,"text":"hai","reply_markup":{"inline_keyboard":[]}}`), nil)
	if err != nil || p.str("chat_id") != "42" || p.str("text") != "hai" || p.str("reply_markup") != `{"inline_keyboard":[]}` {
		t.Fatalf("json: %+v %v", p, err)
	}
	p, err = parseParams("", strings.NewReader(""), url.Values{"offset": {"5"}})
	if n, _ := p.int64("offset"); err != nil || n != 5 {
		t.Fatalf("query: %+v %v", p, err)
	}
}

func FuzzCommandEntities(f *testing.F) {
	for _, s := range []string{"/start", "привет /start@bot x", "👋/a /b", "a/b /c_d@e", "/start@", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) {
			return
		}
		u := utf16.Encode([]rune(text))
		last := -1
		for _, e := range commandEntities(text) {
			if e.Length < 2 || e.Offset < 0 || e.Offset+e.Length > len(u) || e.Offset <= last {
				t.Fatalf("bad entity %+v for %q", e, text)
			}
			if cmd := string(utf16.Decode(u[e.Offset : e.Offset+e.Length])); cmd[0] != '/' {
				t.Fatalf("entity %+v of %q covers %q", e, text, cmd)
			}
			last = e.Offset + e.Length - 1
		}
	})
}

func FuzzParseParams(f *testing.F) {
	f.Add("multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"chat_id\"\r\n\r\n42\r\n--b--\r\n")
	f.Add("application/json", `{"chat_id":1,"text":"x"}`)
	f.Add("application/x-www-form-urlencoded", "chat_id=1&text=%F0%9F%98%80")
	f.Add("multipart/form-data", "")
	f.Fuzz(func(t *testing.T, contentType, body string) {
		p, err := parseParams(contentType, strings.NewReader(body), nil)
		if err == nil && p.values == nil {
			t.Fatal("nil values without error")
		}
		// whatever came in, the value helpers and the keyboard parser must not panic
		p.int64("chat_id")
		inlineKeyboard(p.str("reply_markup"))
		_, _ = plainText(p.str("text"), "HTML")
	})
}
