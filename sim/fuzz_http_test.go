package sim

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// FuzzPlaceOrder sends POST /orders with a fuzzed body, Idempotency-Key and
// Content-Type to a real lab over loopback. Whatever arrives, the service
// never fails with a 5xx, every refusal is a JSON error that says what is
// wrong, a refusal writes nothing to SQLite or Redis, and an accepted
// request makes at most one order.
func FuzzPlaceOrder(f *testing.F) {
	const order = `{"item":"book","qty":1}`
	for _, seed := range []struct {
		body        string
		key         string
		sendKey     bool
		contentType string
	}{
		{order, "k1", true, "application/json"},
		{order, "k1", true, "application/json"}, // a replay
		{`{"item":"pen","qty":2}`, "k1", true, "application/json"},
		{order, "k2", true, ""},
		{order, "k3", true, "application/json; charset=utf-8"},
		{order, "k4", true, "APPLICATION/JSON"},
		{order, "k5", true, "text/plain"},
		{order, "k6", true, "application/json; ="},
		{order, "", true, "application/json"},
		{order, "", false, "application/json"},
		{order, "   ", true, "application/json"},
		{order, " padded ", true, "application/json"},
		{order, strings.Repeat("k", MaxKeyLength), true, "application/json"},
		{order, strings.Repeat("k", MaxKeyLength+1), true, "application/json"},
		{order, strings.Repeat("k", MaxHeaderBytes), true, "application/json"},
		{order, "k\tx", true, "application/json"},
		{order, "k\x01x", true, "application/json"},
		{order, "kä", true, "application/json"},
		{order, "k\xff", true, "application/json"},
		{``, "k7", true, "application/json"},
		{`null`, "k7", true, "application/json"},
		{`{"item":"book",`, "k7", true, "application/json"},
		{`{"item":"book","qty":1} {}`, "k7", true, "application/json"},
		{`{"item":"book","qty":"1"}`, "k7", true, "application/json"},
		{`{"item":"book","qty":1.5}`, "k7", true, "application/json"},
		{`{"item":"book","qty":1e30}`, "k7", true, "application/json"},
		{`{"item":"book","qty":9223372036854775808}`, "k7", true, "application/json"},
		{`{"item":"book","qty":0}`, "k7", true, "application/json"},
		{`{"item":"book","qty":-1}`, "k7", true, "application/json"},
		{`{"item":"book","qty":1000}`, "k8", true, "application/json"},
		{`{"item":"book","qty":1001}`, "k9", true, "application/json"},
		{`{"item":"book","qty":1,"QTY":1000}`, "k10", true, "application/json"},
		{`{"item":"book","qty":1,"qty":1000}`, "k10", true, "application/json"},
		{`{"Item":"book","qty":1}`, "k10", true, "application/json"},
		{`{"item":"` + strings.Repeat("x", MaxItemChars) + `","qty":1}`, "k11", true, "application/json"},
		{`{"item":"` + strings.Repeat("x", MaxItemChars+1) + `","qty":1}`, "k12", true, "application/json"},
		{`{"item":"bo\u0000ok","qty":1}`, "k12", true, "application/json"},
		{`{"item":"\u2028","qty":1}`, "k12", true, "application/json"},
		{"{\"item\":\"b\xffk\",\"qty\":1}", "k13", true, "application/json"},
		{`{"item":` + strings.Repeat("[", 10001) + `,"qty":1}`, "k14", true, "application/json"},
		{`{"item":"` + strings.Repeat("x", MaxBodyBytes) + `","qty":1}`, "k15", true, "application/json"},
	} {
		f.Add([]byte(seed.body), seed.key, seed.sendKey, seed.contentType)
	}

	// One lab per fuzzing process: opening one per input would spend the
	// time on file creation instead of on the inputs.
	l := newLab(f)
	client := &http.Client{Timeout: 10 * time.Second}
	f.Fuzz(func(t *testing.T, body []byte, key string, sendKey bool, contentType string) {
		if (sendKey && !sendable(key)) || !sendable(contentType) {
			return // net/http's client refuses to send it; the table test sends it raw
		}
		if counts(t, l).Orders > 200 {
			// Keeps the before/after comparison of every Redis key cheap.
			if err := l.Reset(42); err != nil {
				t.Fatal(err)
			}
		}
		req, err := http.NewRequest(http.MethodPost, l.APIURL()+"/orders", strings.NewReader(string(body)))
		if err != nil {
			t.Fatal(err)
		}
		if sendKey {
			req.Header["Idempotency-Key"] = []string{key}
		}
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		before := storedState(t, l)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("the lab dropped the request: %v", err)
		}
		raw, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			t.Fatalf("read the answer: %v", err)
		}
		after := storedState(t, l)

		if resp.StatusCode >= 500 {
			t.Fatalf("a %d for body %q, key %q: %s", resp.StatusCode, body, key, raw)
		}
		if resp.StatusCode >= 300 {
			if resp.StatusCode == http.StatusRequestHeaderFieldsTooLarge && len(key)+len(contentType) > MaxHeaderBytes {
				// Past net/http's own cap the refusal is its plain text;
				// TestBadRequestsRefusedByNetHTTPWriteNothing covers that.
				require.Equal(t, before, after, "a refused request changed the lab")
				return
			}
			var e apiError
			if err := json.Unmarshal(raw, &e); err != nil || e.Error == "" || e.Message == "" {
				t.Fatalf("a %d without a JSON error and message: %q", resp.StatusCode, raw)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
				t.Fatalf("a %d error with Content-Type %q", resp.StatusCode, ct)
			}
			require.Equal(t, before, after, "a refused request changed the lab")
			return
		}
		var o orderBody
		if err := json.Unmarshal(raw, &o); err != nil || o.OrderID == "" {
			t.Fatalf("a %d without an order: %q", resp.StatusCode, raw)
		}
		if want := strings.Trim(key, " \t"); o.Key != want {
			t.Fatalf("the order holds key %q, the request sent %q", o.Key, want)
		}
		if o.Qty < 1 || o.Qty > MaxQty || strings.TrimSpace(o.Item) == "" {
			t.Fatalf("an invalid order was accepted: %+v from %q", o, body)
		}
		if resp.Header.Get("Idempotent-Replayed") == "" {
			// The order is the one the body asks for, read the strict way:
			// a proxy or a log that reads it cannot see another.
			item, qty, ok := askedFor(body)
			if !ok {
				t.Fatalf("accepted %q, which is not exactly one item and one qty", body)
			}
			if item != o.Item || qty != float64(o.Qty) {
				t.Fatalf("the body asks for %v × %q; the order is %d × %q", qty, item, o.Qty, o.Item)
			}
		}
		made := after.Counts.Orders - before.Counts.Orders
		switch {
		case resp.StatusCode == http.StatusCreated && resp.Header.Get("Idempotent-Replayed") == "" && made != 1:
			t.Fatalf("a new order made %d order rows", made)
		case resp.Header.Get("Idempotent-Replayed") == "true" && made != 0:
			t.Fatalf("a replay made %d order rows", made)
		case made < 0 || made > 1:
			t.Fatalf("one request made %d order rows", made)
		}
	})
}

// sendable reports whether net/http's client will put v in a header: no
// control characters but tab.
func sendable(v string) bool {
	return strings.IndexFunc(v, func(r rune) bool { return (r < ' ' && r != '\t') || r == 0x7f }) < 0
}

// askedFor reads an order body the strict way: one JSON object with the
// members "item" and "qty", each exactly once and spelled exactly so.
func askedFor(body []byte) (item string, qty float64, ok bool) {
	dec := json.NewDecoder(bytes.NewReader(body))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return "", 0, false
	}
	seen := map[string]bool{}
	for dec.More() {
		tok, err := dec.Token()
		name, isName := tok.(string)
		if err != nil || !isName || seen[name] {
			return "", 0, false
		}
		seen[name] = true
		switch name {
		case "item":
			err = dec.Decode(&item)
		case "qty":
			err = dec.Decode(&qty)
		default:
			return "", 0, false
		}
		if err != nil {
			return "", 0, false
		}
	}
	return item, qty, len(seen) == 2
}
