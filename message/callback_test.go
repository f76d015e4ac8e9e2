package message_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/kimbot/kimbot/message"
)

func TestCallback_RoundTrip(t *testing.T) {
	tests := []message.Callback{
		{Area: "res", Action: "l", Args: []string{"35.73.05", "3"}},
		{Area: "res", Action: "v", Args: []string{"35.73.05.1003"}},
		{Area: "res", Action: "l", Args: []string{"-", "0"}},
		{Area: "op", Action: "ok"},
		{Area: "x", Action: "y", Args: []string{""}},
	}
	for _, c := range tests {
		s, err := c.Encode()
		if err != nil {
			t.Fatalf("Encode(%+v): %v", c, err)
		}
		got, err := message.ParseCallback(s)
		if err != nil || !reflect.DeepEqual(got, c) {
			t.Fatalf("ParseCallback(%q) = %+v, %v; want %+v", s, got, err, c)
		}
	}
}

func TestCallback_Invalid(t *testing.T) {
	bad := []message.Callback{
		{Area: "", Action: "x"},
		{Area: "res", Action: ""},
		{Area: "res", Action: "v", Args: []string{"a:b"}},
		{Area: "res", Action: "v", Args: []string{"dés"}},
		{Area: "res", Action: "v", Args: []string{strings.Repeat("9", 60)}},
	}
	for _, c := range bad {
		if _, err := c.Encode(); !errors.Is(err, message.ErrCallbackInvalid) {
			t.Errorf("Encode(%+v) = %v, want ErrCallbackInvalid", c, err)
		}
	}
	for _, s := range []string{"", "res", ":v", "res:", "res:v:\x00", "res:v:" + strings.Repeat("1", 60), "rés:v"} {
		if _, err := message.ParseCallback(s); !errors.Is(err, message.ErrCallbackInvalid) {
			t.Errorf("ParseCallback(%q) = %v, want ErrCallbackInvalid", s, err)
		}
	}
}

func FuzzParseCallback(f *testing.F) {
	for _, s := range []string{"res:l:35.73:0", "res:v:35.73.05.1003", "a:b", "a::", ":", "\xff:\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		c, err := message.ParseCallback(data)
		if err != nil {
			return
		}
		s, err := c.Encode()
		if err != nil || s != data || len(s) > 64 {
			t.Fatalf("%q parsed to %+v, which encodes to %q, %v", data, c, s, err)
		}
	})
}
