package sim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
)

// Request limits. They are part of the API contract and appear in error
// messages.
const (
	MaxBodyBytes = 64 << 10
	MaxKeyLength = 255
	MaxItemChars = 100
	MaxQty       = 1000
)

// OrderRequest is the JSON body of POST /orders.
type OrderRequest struct {
	Item string `json:"item"`
	Qty  int    `json:"qty"`
}

// OrderCreated is the event payload every consumer receives.
type OrderCreated struct {
	EventID string `json:"event_id"`
	OrderID string `json:"order_id"`
	Key     string `json:"key"`
	Item    string `json:"item"`
	Qty     int    `json:"qty"`
}

// orderBody is the JSON the service answers for an order.
type orderBody struct {
	OrderID string `json:"order_id"`
	Key     string `json:"idempotency_key"`
	Item    string `json:"item"`
	Qty     int    `json:"qty"`
}

// validateKey checks an Idempotency-Key header value.
func validateKey(key string, present bool) error {
	switch {
	case !present:
		return errors.New("the Idempotency-Key header is missing")
	case key == "":
		return errors.New("the Idempotency-Key header is empty")
	case len(key) > MaxKeyLength:
		return fmt.Errorf("the Idempotency-Key header is %d bytes long; the limit is %d", len(key), MaxKeyLength)
	}
	for _, r := range key {
		if r > unicode.MaxASCII || !unicode.IsPrint(r) {
			return fmt.Errorf("the Idempotency-Key header may hold only printable ASCII characters; found %q", r)
		}
	}
	return nil
}

// decodeOrder reads and validates an order body: one JSON object, known
// fields only, each once, nothing after it.
func decodeOrder(body []byte) (OrderRequest, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	var first json.RawMessage
	if err := dec.Decode(&first); err != nil {
		return OrderRequest{}, fmt.Errorf("the body is not a JSON object: %s", jsonProblem(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return OrderRequest{}, errors.New("the body has data after the JSON object")
	}
	names, ok := objectNames(first)
	if !ok {
		return OrderRequest{}, errors.New("the body is not a JSON object")
	}
	// encoding/json matches field names regardless of case and keeps the
	// last of two equal names, so {"qty":1,"QTY":1000} would order 1000
	// while a proxy that reads "qty" saw 1. Only the exact names, once each.
	seen := map[string]bool{}
	for _, name := range names {
		if name != "item" && name != "qty" {
			return OrderRequest{}, fmt.Errorf(`unknown field %q: the body takes only "item" and "qty"`, name)
		}
		if seen[name] {
			return OrderRequest{}, fmt.Errorf("%q is given twice", name)
		}
		seen[name] = true
	}
	var r OrderRequest
	if err := json.Unmarshal(first, &r); err != nil {
		return OrderRequest{}, fmt.Errorf("the body does not fit {\"item\": string, \"qty\": integer}: %s", jsonProblem(err))
	}
	for _, name := range []string{"item", "qty"} {
		if !seen[name] {
			return OrderRequest{}, fmt.Errorf("%q is missing", name)
		}
	}
	return r, r.validate()
}

// objectNames lists the member names of a JSON object, duplicates
// included, or reports that v is not an object.
func objectNames(v json.RawMessage) ([]string, bool) {
	dec := json.NewDecoder(bytes.NewReader(v))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, false
	}
	var names []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, false
		}
		name, ok := tok.(string)
		if !ok {
			return nil, false
		}
		names = append(names, name)
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			return nil, false
		}
	}
	return names, true
}

func (r OrderRequest) validate() error {
	item := strings.TrimSpace(r.Item)
	switch {
	case item == "":
		return errors.New(`"item" is empty`)
	case len([]rune(r.Item)) > MaxItemChars:
		return fmt.Errorf(`"item" is longer than %d characters`, MaxItemChars)
	case strings.IndexFunc(r.Item, func(c rune) bool { return !unicode.IsPrint(c) }) >= 0:
		return errors.New(`"item" holds non-printable characters`)
	case r.Qty <= 0:
		return fmt.Errorf(`"qty" must be at least 1; got %d`, r.Qty)
	case r.Qty > MaxQty:
		return fmt.Errorf(`"qty" must be at most %d; got %d`, MaxQty, r.Qty)
	}
	return nil
}

// jsonProblem words a decoding error for a person.
func jsonProblem(err error) string {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return fmt.Sprintf("syntax error at byte %d", syn.Offset)
	case errors.As(err, &typ):
		return fmt.Sprintf("%q must be %s, not %s", typ.Field, typ.Type, typ.Value)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return "it ends too early"
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}
