package emulator

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/url"
	"strconv"
	"strings"
)

// maxFieldSize bounds a single form value; uploads are counted, not kept.
const maxFieldSize = 1 << 20

// params are the arguments of one Bot API call, whatever the encoding:
// scalars as text, objects (reply_markup, allowed_updates) as JSON text.
type params struct {
	values map[string]string
	files  map[string]upload
}

// upload is a file part of a multipart request: its name, size and, up
// to keptUpload bytes, its content (served back by the file download).
type upload struct {
	Name string
	Size int64
	Data []byte
}

// keptUpload is the largest upload whose bytes the emulator keeps, so a
// test can download the photo it uploaded; larger ones are counted only.
const keptUpload = 2 << 20

func (p params) str(key string) string { return p.values[key] }

func (p params) has(key string) bool {
	_, ok := p.values[key]
	return ok
}

func (p params) int64(key string) (int64, bool) {
	v, ok := p.values[key]
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	return n, err == nil
}

func (p params) bool(key string) bool {
	b, _ := strconv.ParseBool(p.values[key])
	return b
}

// parseParams reads the body of a Bot API call: multipart/form-data (what
// go-telegram/bot sends, chunked, possibly empty), urlencoded form, JSON or
// the URL query.
func parseParams(contentType string, body io.Reader, query url.Values) (params, error) {
	p := params{values: map[string]string{}, files: map[string]upload{}}
	for k, v := range query {
		if len(v) > 0 {
			p.values[k] = v[0]
		}
	}
	mediaType, mparams, _ := mime.ParseMediaType(contentType)
	var err error
	switch mediaType {
	case "multipart/form-data":
		err = parseMultipart(body, mparams["boundary"], p)
	case "application/x-www-form-urlencoded":
		err = parseURLEncoded(body, p)
	case "application/json":
		err = parseJSON(body, p)
	default:
		_, err = io.Copy(io.Discard, io.LimitReader(body, maxFieldSize))
	}
	return p, err
}

func parseMultipart(body io.Reader, boundary string, p params) error {
	if boundary == "" {
		return errors.New("multipart body without boundary")
	}
	mr := multipart.NewReader(body, boundary)
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil // also the empty body of getMe and friends
		}
		if err != nil {
			if len(p.values) == 0 && len(p.files) == 0 && strings.Contains(err.Error(), "EOF") {
				return nil
			}
			return fmt.Errorf("reading multipart: %w", err)
		}
		name := part.FormName()
		if part.FileName() != "" {
			head, err := io.ReadAll(io.LimitReader(part, keptUpload+1))
			if err != nil {
				return fmt.Errorf("reading upload %q: %w", name, err)
			}
			n, err := io.Copy(io.Discard, part)
			if err != nil {
				return fmt.Errorf("reading upload %q: %w", name, err)
			}
			up := upload{Name: part.FileName(), Size: n + int64(len(head))}
			if len(head) <= keptUpload {
				up.Data = head
			}
			p.files[name] = up
			continue
		}
		b, err := io.ReadAll(io.LimitReader(part, maxFieldSize+1))
		if err != nil {
			return fmt.Errorf("reading field %q: %w", name, err)
		}
		if len(b) > maxFieldSize {
			return fmt.Errorf("field %q too large", name)
		}
		p.values[name] = string(b)
	}
}

func parseURLEncoded(body io.Reader, p params) error {
	b, err := io.ReadAll(io.LimitReader(body, 8*maxFieldSize))
	if err != nil {
		return fmt.Errorf("reading form: %w", err)
	}
	vals, err := url.ParseQuery(string(b))
	if err != nil {
		return fmt.Errorf("parsing form: %w", err)
	}
	for k, v := range vals {
		if len(v) > 0 {
			p.values[k] = v[0]
		}
	}
	return nil
}

func parseJSON(body io.Reader, p params) error {
	b, err := io.ReadAll(io.LimitReader(body, 8*maxFieldSize))
	if err != nil {
		return fmt.Errorf("reading json: %w", err)
	}
	if len(strings.TrimSpace(string(b))) == 0 {
		return nil
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(b, &obj); err != nil {
		return fmt.Errorf("parsing json: %w", err)
	}
	for k, raw := range obj {
		var s string
		if len(raw) > 0 && raw[0] == '"' && json.Unmarshal(raw, &s) == nil {
			p.values[k] = s
			continue
		}
		p.values[k] = string(raw) // numbers, booleans, objects stay JSON text
	}
	return nil
}

// inlineKeyboard decodes a reply_markup value. Only inline keyboards are
// kept; reply keyboards and removals give nil. Unknown button fields (the
// library's always-present "copy_text":{"text":""}) are ignored.
func inlineKeyboard(raw string) ([][]Button, string) {
	if strings.TrimSpace(raw) == "" {
		return nil, ""
	}
	var m struct {
		InlineKeyboard [][]struct {
			Text         string `json:"text"`
			CallbackData string `json:"callback_data"`
			URL          string `json:"url"`
		} `json:"inline_keyboard"`
	}
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		return nil, "Bad Request: can't parse reply keyboard markup JSON object"
	}
	var rows [][]Button
	for _, row := range m.InlineKeyboard {
		var out []Button
		for _, b := range row {
			if b.Text == "" {
				return nil, "Bad Request: text buttons are unallowed in the inline keyboard"
			}
			if len(b.CallbackData) > maxCallbackLen {
				return nil, "Bad Request: BUTTON_DATA_INVALID"
			}
			if b.CallbackData == "" && b.URL == "" {
				return nil, "Bad Request: BUTTON_TYPE_INVALID"
			}
			out = append(out, Button{Text: b.Text, CallbackData: b.CallbackData, URL: b.URL})
		}
		if len(out) > 0 {
			rows = append(rows, out)
		}
	}
	return rows, ""
}
