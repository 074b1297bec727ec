package sim

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

type httpAnswer struct {
	*http.Response
	body string
}

// postOrder sends a raw POST /orders, the way curl would.
func postOrder(t testing.TB, l *Lab, key, body string) httpAnswer {
	t.Helper()
	return do(t, l, http.MethodPost, "/orders", body, map[string]string{"Content-Type": "application/json", "Idempotency-Key": key})
}

func do(t testing.TB, l *Lab, method, path, body string, headers map[string]string) httpAnswer {
	t.Helper()
	req, err := http.NewRequest(method, l.APIURL()+path, strings.NewReader(body))
	require.NoError(t, err)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return httpAnswer{resp, string(raw)}
}

func itoa(n int) string { return strconv.Itoa(n) }
