package sim

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// requestIDPattern bounds the X-Request-Id a caller may set; anything else
// gets a lab-made name, so traces stay readable.
var requestIDPattern = regexp.MustCompile(`^[A-Za-z0-9._:-]{1,64}$`)

func (l *Lab) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /orders", l.handlePlaceOrder)
	mux.HandleFunc("GET /orders/{id}", l.handleGetOrder)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("GET /lab/state", l.handleState)
	mux.HandleFunc("/orders", methodNotAllowed("POST"))
	mux.HandleFunc("/orders/{id}", methodNotAllowed("GET"))
	mux.HandleFunc("/healthz", methodNotAllowed("GET"))
	mux.HandleFunc("/lab/state", methodNotAllowed("GET"))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, "not-found", fmt.Sprintf("no such path %q; the API has POST /orders, GET /orders/{id}, GET /healthz and GET /lab/state", r.URL.Path))
	})
	return limitHeaders(mux)
}

// limitHeaders holds requests to the documented MaxHeaderBytes. net/http
// reads up to 4 KiB past http.Server.MaxHeaderBytes before it refuses
// (its bufio slop), so without this a request with 16 to 20 KiB of
// headers would be served; and its own refusal is plain text, where this
// one is the API's JSON error.
func limitHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n := headerBytes(r); n > MaxHeaderBytes {
			writeError(w, http.StatusRequestHeaderFieldsTooLarge, "headers-too-large",
				fmt.Sprintf("the request's headers are %d bytes; the limit is %d KiB", n, MaxHeaderBytes>>10))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// headerBytes is the size of the request line and headers as sent:
// "METHOD URI PROTO", then "Name: value" for Host and every header, each
// line ending in CRLF, and the blank line.
func headerBytes(r *http.Request) int {
	n := len(r.Method) + 1 + len(r.RequestURI) + 1 + len(r.Proto) + 2
	n += len("Host: ") + len(r.Host) + 2
	for name, values := range r.Header {
		for _, v := range values {
			n += len(name) + 2 + len(v) + 2
		}
	}
	return n + 2
}

func methodNotAllowed(allow string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Allow", allow)
		writeError(w, http.StatusMethodNotAllowed, "method-not-allowed", fmt.Sprintf("%s is not allowed on %s; use %s", r.Method, r.URL.Path, allow))
	}
}

func (l *Lab) handlePlaceOrder(w http.ResponseWriter, r *http.Request) {
	work := r.Header.Get("X-Request-Id")
	if !requestIDPattern.MatchString(work) {
		work = "http-" + strconv.FormatInt(l.anonRequests.Add(1), 10)
	}
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			writeError(w, http.StatusUnsupportedMediaType, "unsupported-media-type", fmt.Sprintf("the body must be application/json, not %q", ct))
			return
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeError(w, http.StatusRequestEntityTooLarge, "body-too-large", fmt.Sprintf("the body is over the %d KiB limit", MaxBodyBytes>>10))
			return
		}
		writeError(w, http.StatusBadRequest, "unreadable-body", "the body could not be read: "+err.Error())
		return
	}
	keys, present := r.Header["Idempotency-Key"]
	key := ""
	if present {
		key = keys[0]
		if len(keys) > 1 {
			writeError(w, http.StatusBadRequest, "invalid-key", "send exactly one Idempotency-Key header")
			return
		}
	}
	if err := validateKey(key, present); err != nil {
		writeError(w, http.StatusBadRequest, "invalid-key", err.Error())
		return
	}
	req, err := decodeOrder(body)
	if err != nil {
		writeError(w, http.StatusBadRequest, "invalid-body", err.Error())
		return
	}
	l.note(LaneClient, LaneAPI, work, "POST /orders", key, "", "", fmt.Sprintf("%d × %s", req.Qty, req.Item))

	// The work goes on if the client hangs up, as in a real server; and a
	// request paused on a point outlives the server's read deadline, which
	// would otherwise cancel the request context.
	resp, err := l.svc.place(context.WithoutCancel(r.Context()), work, key, req)
	if err == nil {
		err = l.hit("api.responding", work, key)
	}
	if err != nil { // a crash: hit has traced where
		dropConnection(w)
		return
	}
	// The server's write deadline ran from the request's arrival; a pause
	// may have outlasted it, so the answer gets its own full window.
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(l.opts.WriteTimeout))
	if l.loseResponse.CompareAndSwap(true, false) {
		l.note(LaneAPI, LaneClient, work, "response lost on the way", key, resp.OrderID, "", strconv.Itoa(resp.Status))
		dropConnection(w)
		return
	}
	if resp.Replayed {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	if resp.OrderID != "" && resp.Status < 300 {
		w.Header().Set("Location", "/orders/"+resp.OrderID)
	}
	what := strconv.Itoa(resp.Status)
	if resp.Replayed {
		what += " (replayed)"
	}
	l.note(LaneAPI, LaneClient, work, what, key, resp.OrderID, "", "")
	writeRaw(w, resp.Status, resp.Body)
}

// dropConnection closes the connection with no response, the way a dead
// process does.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err == nil {
		conn.Close()
		return
	}
	// Not hijackable (HTTP/2): net/http turns this into a reset stream and
	// recovers it; it never reaches the user as a panic.
	panic(http.ErrAbortHandler)
}

func (l *Lab) handleGetOrder(w http.ResponseWriter, r *http.Request) {
	o, err := l.Order(r.Context(), r.PathValue("id"))
	if err != nil {
		writeError(w, http.StatusInternalServerError, "internal", err.Error())
		return
	}
	if o == nil {
		writeError(w, http.StatusNotFound, "not-found", fmt.Sprintf("no order with id %q", r.PathValue("id")))
		return
	}
	writeJSON(w, http.StatusOK, o)
}

func (l *Lab) handleState(w http.ResponseWriter, r *http.Request) {
	limit := 100
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 10000 {
			writeError(w, http.StatusBadRequest, "invalid-limit", "limit must be a whole number from 1 to 10000")
			return
		}
		limit = n
	}
	st, err := l.State(r.Context(), limit)
	if err != nil {
		writeError(w, http.StatusInternalServerError, "internal", err.Error())
		return
	}
	writeJSON(w, http.StatusOK, st)
}

func writeError(w http.ResponseWriter, status int, code, message string) {
	writeJSON(w, status, apiError{Error: code, Message: message})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		status, body = http.StatusInternalServerError, []byte(`{"error":"internal","message":"could not encode the answer"}`)
	}
	writeRaw(w, status, body)
}

func writeRaw(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(body)
	if !strings.HasSuffix(string(body), "\n") {
		w.Write([]byte("\n"))
	}
}
