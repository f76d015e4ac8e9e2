package broadcast

import (
	"errors"
	"fmt"

	"github.com/kimbot/kimbot/message"
)

// InputError is bad input from an operator or the CLI. Reason is a stable
// code the bot maps to an Indonesian text; Detail and Example are English
// for the CLI. Err, when set, is a sentinel such as ErrOutOfScope.
type InputError struct {
	Field   string
	Reason  Reason
	Detail  string
	Example string
	Err     error
	// Len and Max are the length found and the limit, for the too-long
	// reasons (UTF-16 units of the visible text).
	Len, Max int
}

// Reason names one kind of bad input.
type Reason string

// The reasons input is refused.
const (
	ReasonTextEmpty      Reason = "text_empty"
	ReasonTextTooLong    Reason = "text_too_long"
	ReasonCaptionTooLong Reason = "caption_too_long"
	ReasonBadHTML        Reason = "bad_html"
	ReasonBadButton      Reason = "bad_button"
	ReasonBadTime        Reason = "bad_time"
	ReasonPastTime       Reason = "past_time"
	ReasonBadCron        Reason = "bad_cron"
	ReasonCronTooOften   Reason = "cron_too_often"
	ReasonCronBothDays   Reason = "cron_both_days" // day of month and day of week both restricted: cron ORs them
	ReasonBadNthWeekday  Reason = "bad_nth_weekday"
	ReasonBadZone        Reason = "bad_zone"
	ReasonBadEnd         Reason = "bad_end"
	ReasonBadTargets     Reason = "bad_targets"
	ReasonUnknownRegion  Reason = "unknown_region"
	ReasonOutOfScope     Reason = "out_of_scope"
)

func (e *InputError) Error() string {
	msg := e.Field + ": " + e.Detail
	if e.Example != "" {
		msg += " (e.g. " + e.Example + ")"
	}
	return msg
}

func (e *InputError) Unwrap() error { return e.Err }

func inputErr(field string, reason Reason, example, format string, args ...any) *InputError {
	return &InputError{Field: field, Reason: reason, Example: example, Detail: fmt.Sprintf(format, args...)}
}

// ReasonOf returns the Reason of an *InputError in err's chain, or "".
func ReasonOf(err error) Reason {
	var ie *InputError
	if errors.As(err, &ie) {
		return ie.Reason
	}
	return ""
}

// CheckLinkURL accepts http, https and tg links, as Telegram's buttons and
// <a href> do.
func CheckLinkURL(raw string) error { return message.CheckLinkURL(raw) }
