package sim

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestBadRequestsAreRefusedClearlyAndWriteNothing(t *testing.T) {
	l := newLab(t)
	json := map[string]string{"Content-Type": "application/json"}
	withKey := func(key string) map[string]string {
		return map[string]string{"Content-Type": "application/json", "Idempotency-Key": key}
	}
	for _, tc := range []struct {
		name    string
		method  string
		path    string
		headers map[string]string
		body    string
		status  int
		code    string
		says    string
	}{
		{"malformed JSON", "POST", "/orders", withKey("k"), `{"item":"book",`, 400, "invalid-body", "not a JSON object"},
		{"not an object", "POST", "/orders", withKey("k"), `[1,2]`, 400, "invalid-body", "not a JSON object"},
		{"qty as a string", "POST", "/orders", withKey("k"), `{"item":"book","qty":"1"}`, 400, "invalid-body", `"qty" must be int`},
		{"unknown field", "POST", "/orders", withKey("k"), `{"item":"book","qty":1,"price":3}`, 400, "invalid-body", `unknown field "price"`},
		{"data after the object", "POST", "/orders", withKey("k"), `{"item":"book","qty":1} {}`, 400, "invalid-body", "data after the JSON object"},
		{"missing item", "POST", "/orders", withKey("k"), `{"qty":1}`, 400, "invalid-body", `"item" is missing`},
		{"missing qty", "POST", "/orders", withKey("k"), `{"item":"book"}`, 400, "invalid-body", `"qty" is missing`},
		{"empty item", "POST", "/orders", withKey("k"), `{"item":"  ","qty":1}`, 400, "invalid-body", `"item" is empty`},
		{"zero qty", "POST", "/orders", withKey("k"), `{"item":"book","qty":0}`, 400, "invalid-body", "at least 1"},
		{"negative qty", "POST", "/orders", withKey("k"), `{"item":"book","qty":-3}`, 400, "invalid-body", "at least 1"},
		{"huge qty", "POST", "/orders", withKey("k"), `{"item":"book","qty":1000001}`, 400, "invalid-body", "at most 1000"},
		{"qty beyond int64", "POST", "/orders", withKey("k"), `{"item":"book","qty":1e30}`, 400, "invalid-body", `"qty"`},
		{"missing key", "POST", "/orders", json, `{"item":"book","qty":1}`, 400, "invalid-key", "header is missing"},
		{"empty key", "POST", "/orders", withKey(""), `{"item":"book","qty":1}`, 400, "invalid-key", "header is empty"},
		{"key over 255 characters", "POST", "/orders", withKey(strings.Repeat("k", 256)), `{"item":"book","qty":1}`, 400, "invalid-key", "the limit is 255"},
		{"key with a tab", "POST", "/orders", withKey("k\tx"), `{"item":"book","qty":1}`, 400, "invalid-key", "printable ASCII"},
		{"non-ASCII key", "POST", "/orders", withKey("kä"), `{"item":"book","qty":1}`, 400, "invalid-key", "printable ASCII"},
		{"body over 64 KiB", "POST", "/orders", withKey("k"), `{"item":"` + strings.Repeat("x", 70<<10) + `","qty":1}`, 413, "body-too-large", "64 KiB"},
		{"wrong content type", "POST", "/orders", map[string]string{"Content-Type": "text/plain", "Idempotency-Key": "k"}, `{"item":"book","qty":1}`, 415, "unsupported-media-type", "application/json"},
		{"wrong method", "PUT", "/orders", withKey("k"), `{"item":"book","qty":1}`, 405, "method-not-allowed", "use POST"},
		{"unknown path", "POST", "/order", withKey("k"), `{"item":"book","qty":1}`, 404, "not-found", "no such path"},
	} {
		t.Run(tc.name+" is a "+itoa(tc.status), func(t *testing.T) {
			a := do(t, l, tc.method, tc.path, tc.body, tc.headers)
			require.Equal(t, tc.status, a.StatusCode, a.body)
			var e apiError
			require.NoError(t, jsonUnmarshal(a.body, &e), a.body)
			require.Equal(t, tc.code, e.Error)
			require.Contains(t, e.Message, tc.says)
			requireNothingWritten(t, l)
		})
	}
}

func requireNothingWritten(t *testing.T, l *Lab) {
	t.Helper()
	keys, err := l.redis.labKeys(context.Background())
	require.NoError(t, err)
	require.Empty(t, keys, "Redis is untouched")
	c := counts(t, l)
	require.Zero(t, c.Orders, "no order row")
	require.Zero(t, c.OutboxPending, "no outbox row")
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
