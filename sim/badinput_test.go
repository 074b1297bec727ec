package sim

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestBadRequestsAreRefusedClearlyAndWriteNothing(t *testing.T) {
	l := newLab(t)
	// One order already went all the way through, so "nothing written"
	// compares real rows and a real Redis record, not empty tables: a bad
	// request that reuses its key must not touch them either.
	require.Equal(t, ResultCreated, l.Send("existing", book).Result)
	_, err := l.Drain()
	require.NoError(t, err)
	require.NotZero(t, counts(t, l).Inbox["warehouse"])

	order := `{"item":"book","qty":1}`
	jsonOnly := http.Header{"Content-Type": {"application/json"}}
	withKey := func(keys ...string) http.Header {
		return http.Header{"Content-Type": {"application/json"}, "Idempotency-Key": keys}
	}
	padded := withKey("k")
	padded.Set("X-Padding", strings.Repeat("p", MaxHeaderBytes))
	for _, tc := range []struct {
		name    string
		method  string
		path    string
		headers http.Header
		body    string
		status  int
		code    string
		says    string
	}{
		{"malformed JSON", "POST", "/orders", withKey("k"), `{"item":"book",`, 400, "invalid-body", "not a JSON object"},
		{"an empty body", "POST", "/orders", withKey("k"), ``, 400, "invalid-body", "not a JSON object: it ends too early"},
		{"null", "POST", "/orders", withKey("k"), `null`, 400, "invalid-body", "not a JSON object"},
		{"not an object", "POST", "/orders", withKey("k"), `[1,2]`, 400, "invalid-body", "not a JSON object"},
		{"a byte-order mark", "POST", "/orders", withKey("k"), "\ufeff" + order, 400, "invalid-body", "syntax error at byte"},
		{"JSON nested past any sense", "POST", "/orders", withKey("k"), `{"item":` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `,"qty":1}`, 400, "invalid-body", "not a JSON object"},
		{"qty as a string", "POST", "/orders", withKey("k"), `{"item":"book","qty":"1"}`, 400, "invalid-body", `"qty" must be int, not string`},
		{"qty as a fraction", "POST", "/orders", withKey("k"), `{"item":"book","qty":1.5}`, 400, "invalid-body", `"qty" must be int, not number 1.5`},
		{"qty as a boolean", "POST", "/orders", withKey("k"), `{"item":"book","qty":true}`, 400, "invalid-body", `"qty" must be int, not bool`},
		{"item as a number", "POST", "/orders", withKey("k"), `{"item":7,"qty":1}`, 400, "invalid-body", `"item" must be string, not number`},
		{"item as an object", "POST", "/orders", withKey("k"), `{"item":{"name":"book"},"qty":1}`, 400, "invalid-body", `"item" must be string, not object`},
		{"unknown field", "POST", "/orders", withKey("k"), `{"item":"book","qty":1,"price":3}`, 400, "invalid-body", `unknown field "price"`},
		{"a field that differs only in case", "POST", "/orders", withKey("k"), `{"item":"book","qty":1,"QTY":1000}`, 400, "invalid-body", `unknown field "QTY"`},
		{"a field given twice", "POST", "/orders", withKey("k"), `{"item":"book","qty":1,"qty":1000}`, 400, "invalid-body", `"qty" is given twice`},
		{"data after the object", "POST", "/orders", withKey("k"), `{"item":"book","qty":1} {}`, 400, "invalid-body", "data after the JSON object"},
		{"missing item", "POST", "/orders", withKey("k"), `{"qty":1}`, 400, "invalid-body", `"item" is missing`},
		{"missing qty", "POST", "/orders", withKey("k"), `{"item":"book"}`, 400, "invalid-body", `"qty" is missing`},
		{"empty item", "POST", "/orders", withKey("k"), `{"item":"  ","qty":1}`, 400, "invalid-body", `"item" is empty`},
		{"item over 100 characters", "POST", "/orders", withKey("k"), `{"item":"` + strings.Repeat("é", MaxItemChars+1) + `","qty":1}`, 400, "invalid-body", `"item" is longer than 100 characters`},
		{"item with a control character", "POST", "/orders", withKey("k"), `{"item":"bo\u0007ok","qty":1}`, 400, "invalid-body", `"item" holds non-printable characters`},
		{"zero qty", "POST", "/orders", withKey("k"), `{"item":"book","qty":0}`, 400, "invalid-body", "at least 1"},
		{"negative qty", "POST", "/orders", withKey("k"), `{"item":"book","qty":-3}`, 400, "invalid-body", "at least 1"},
		{"huge qty", "POST", "/orders", withKey("k"), `{"item":"book","qty":1000001}`, 400, "invalid-body", "at most 1000"},
		{"qty beyond int64", "POST", "/orders", withKey("k"), `{"item":"book","qty":9223372036854775808}`, 400, "invalid-body", `"qty" must be int, not number 9223372036854775808`},
		{"qty in exponent form beyond int64", "POST", "/orders", withKey("k"), `{"item":"book","qty":1e30}`, 400, "invalid-body", `"qty"`},
		{"missing key", "POST", "/orders", jsonOnly, order, 400, "invalid-key", "header is missing"},
		{"empty key", "POST", "/orders", withKey(""), order, 400, "invalid-key", "header is empty"},
		{"key of spaces", "POST", "/orders", withKey("   "), order, 400, "invalid-key", "header is empty"},
		{"two keys", "POST", "/orders", withKey("k", "j"), order, 400, "invalid-key", "exactly one Idempotency-Key header"},
		{"key over 255 characters", "POST", "/orders", withKey(strings.Repeat("k", 256)), order, 400, "invalid-key", "is 256 bytes long; the limit is 255"},
		{"key with a tab", "POST", "/orders", withKey("k\tx"), order, 400, "invalid-key", "printable ASCII"},
		{"non-ASCII key", "POST", "/orders", withKey("kä"), order, 400, "invalid-key", "printable ASCII"},
		{"key that is not UTF-8", "POST", "/orders", withKey("k\xff"), order, 400, "invalid-key", "printable ASCII"},
		{"a reused key with another body", "POST", "/orders", withKey("existing"), `{"item":"pen","qty":2}`, 422, "key-reused", "different body"},
		{"body over 64 KiB", "POST", "/orders", withKey("k"), `{"item":"` + strings.Repeat("x", 70<<10) + `","qty":1}`, 413, "body-too-large", "64 KiB"},
		{"headers over 16 KiB", "POST", "/orders", padded, order, 431, "headers-too-large", "the limit is 16 KiB"},
		{"wrong content type", "POST", "/orders", http.Header{"Content-Type": {"text/plain"}, "Idempotency-Key": {"k"}}, order, 415, "unsupported-media-type", `must be application/json, not "text/plain"`},
		{"form content type", "POST", "/orders", http.Header{"Content-Type": {"application/x-www-form-urlencoded"}, "Idempotency-Key": {"k"}}, order, 415, "unsupported-media-type", "application/json"},
		{"unparsable content type", "POST", "/orders", http.Header{"Content-Type": {"application/json; charset"}, "Idempotency-Key": {"k"}}, order, 415, "unsupported-media-type", "application/json"},
		{"wrong method", "PUT", "/orders", withKey("k"), order, 405, "method-not-allowed", "PUT is not allowed on /orders; use POST"},
		{"GET on the order list", "GET", "/orders", withKey("k"), order, 405, "method-not-allowed", "use POST"},
		{"DELETE of an order", "DELETE", "/orders/x", withKey("k"), "", 405, "method-not-allowed", "use GET"},
		{"POST on the state", "POST", "/lab/state", withKey("k"), order, 405, "method-not-allowed", "use GET"},
		{"unknown path", "POST", "/order", withKey("k"), order, 404, "not-found", `no such path "/order"`},
		{"path in the wrong case", "POST", "/ORDERS", withKey("k"), order, 404, "not-found", "POST /orders"},
		{"an order that does not exist", "GET", "/orders/nope", nil, "", 404, "not-found", `no order with id "nope"`},
		{"a state limit that is not a number", "GET", "/lab/state?limit=zero", nil, "", 400, "invalid-limit", "from 1 to 10000"},
	} {
		t.Run(tc.name+" is a "+itoa(tc.status), func(t *testing.T) {
			before := storedState(t, l)
			a := send(t, l, tc.method, tc.path, tc.body, tc.headers)
			require.Equal(t, tc.status, a.StatusCode, a.body)
			require.Equal(t, "application/json", a.Header.Get("Content-Type"))
			var e apiError
			require.NoError(t, jsonUnmarshal(a.body, &e), a.body)
			require.Equal(t, tc.code, e.Error)
			require.Contains(t, e.Message, tc.says)
			requireUnchanged(t, l, before)
		})
	}
}

// stored is what a request could have written: every table's size and
// every Redis key with its value and time to live.
type stored struct {
	Counts Counts
	Redis  []string
}

func storedState(t testing.TB, l *Lab) stored {
	t.Helper()
	ctx := context.Background()
	c, err := l.Counts(ctx)
	require.NoError(t, err)
	rdb := l.redis.client
	keys, err := rdb.Keys(ctx, "*").Result()
	require.NoError(t, err)
	slices.Sort(keys)
	out := stored{Counts: c}
	for _, k := range keys {
		typ, err := rdb.Type(ctx, k).Result()
		require.NoError(t, err)
		v := typ
		if typ == "string" {
			v, err = rdb.Get(ctx, k).Result()
			require.NoError(t, err)
		}
		ttl, err := rdb.PTTL(ctx, k).Result()
		require.NoError(t, err)
		out.Redis = append(out.Redis, k+" = "+v+" ttl "+ttl.String())
	}
	return out
}

func requireUnchanged(t testing.TB, l *Lab, before stored) {
	t.Helper()
	after := storedState(t, l)
	require.Equal(t, before.Counts, after.Counts, "SQLite and the broker are untouched")
	require.Equal(t, before.Redis, after.Redis, "Redis is untouched")
}

// send is do with headers that may repeat, as a hostile client sends them.
func send(t testing.TB, l *Lab, method, path, body string, headers http.Header) httpAnswer {
	t.Helper()
	req, err := http.NewRequest(method, l.APIURL()+path, strings.NewReader(body))
	require.NoError(t, err)
	req.Header = headers.Clone()
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return httpAnswer{resp, string(raw)}
}

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }

func TestUnknownSwitchPointAndModeNameTheValidChoices(t *testing.T) {
	l := newLab(t)
	require.EqualError(t, l.Set("publish", "sometimes"), `switch publish cannot be "sometimes" (valid: after-commit, before-commit, outbox)`)
	require.EqualError(t, l.Set("colour", "red"), `unknown switch "colour" (valid: idempotency, publish, dedup, conflicts)`)
	err := l.Arm("db.commited", ModePause)
	require.ErrorContains(t, err, `unknown point "db.commited"`)
	require.ErrorContains(t, err, "db.committed")
	require.ErrorContains(t, l.Arm("db.committed", Mode("explode")), "valid: run, pause, crash-once, crash-always")
	_, err = l.StepConsumer("billing")
	require.EqualError(t, err, `unknown consumer "billing" (valid: warehouse, email)`)
	_, err = l.Retry("never-sent")
	require.ErrorContains(t, err, "no request was sent with key never-sent yet")
	require.ErrorContains(t, l.Advance(-1), "must be positive")
	require.ErrorContains(t, l.Resume(99), "no paused work with id 99")
}

// Some requests never reach the lab's handler: net/http refuses a header
// value with control characters, and headers past its own cap (the lab's
// limit plus net/http's 4 KiB of read slop), with a plain-text answer of
// its own. They must still be refused with the right status and write
// nothing.
func TestBadRequestsRefusedByNetHTTPWriteNothing(t *testing.T) {
	l := newLab(t)
	require.Equal(t, ResultCreated, l.Send("existing", book).Result)
	order := `{"item":"book","qty":1}`
	for _, tc := range []struct {
		name    string
		headers string
		status  int
		says    string
	}{
		{"a key with a control character", "Idempotency-Key: k\x01x\r\n", 400, "Bad Request"},
		{"a key with DEL", "Idempotency-Key: k\x7f\r\n", 400, "Bad Request"},
		{"a header name with a space", "Idempotency Key: k\r\n", 400, "invalid header"},
		{"64 KiB of headers", "Idempotency-Key: k\r\nX-Padding: " + strings.Repeat("p", 64<<10) + "\r\n", 431, "Request Header Fields Too Large|headers-too-large"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := storedState(t, l)
			raw := "POST /orders HTTP/1.1\r\nHost: lab\r\nContent-Type: application/json\r\n" + tc.headers +
				"Content-Length: " + itoa(len(order)) + "\r\nConnection: close\r\n\r\n" + order
			resp, body := rawRequest(t, l, raw)
			require.Equal(t, tc.status, resp.StatusCode, body)
			// Either net/http's own words or, should the server's cap be
			// raised above the lab's limit, the lab's JSON error.
			require.True(t, slices.ContainsFunc(strings.Split(tc.says, "|"), func(s string) bool { return strings.Contains(body, s) }),
				"want %q in %q", tc.says, body)
			requireUnchanged(t, l, before)
		})
	}
}

// rawRequest writes bytes no well-behaved client would send and reads the
// answer.
func rawRequest(t *testing.T, l *Lab, raw string) (*http.Response, string) {
	t.Helper()
	conn, err := net.DialTimeout("tcp", l.ListenAddr(), 5*time.Second)
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.SetDeadline(time.Now().Add(10*time.Second)))
	_, err = io.WriteString(conn, raw)
	require.NoError(t, err)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, string(body)
}
