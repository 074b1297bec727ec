package sim

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"sync"
)

// Result is what the client made of an answer.
type Result string

const (
	ResultCreated     Result = "created"     // 201, a new order
	ResultReplayed    Result = "replayed"    // Idempotent-Replayed: true
	ResultInFlight    Result = "in-flight"   // 409, the key is still being worked on
	ResultKeyReused   Result = "key-reused"  // 422 (or 409), same key, another body
	ResultBadRequest  Result = "bad-request" // 400
	ResultTooLarge    Result = "too-large"   // 413
	ResultUnavailable Result = "unavailable" // 503
	ResultError       Result = "error"       // any other status
	ResultDropped     Result = "dropped"     // the connection closed with no answer
	ResultWaiting     Result = "waiting"     // no answer yet: the request is paused
)

// Outcome is one request as the client saw it.
type Outcome struct {
	N       int    `json:"n"`       // position in the client's history, from 1
	Request string `json:"request"` // X-Request-Id, names the work in the trace
	Key     string `json:"key"`
	Item    string `json:"item"`
	Qty     int    `json:"qty"`
	Attempt int    `json:"attempt"` // 1 for the first send of a key, 2 for its first retry...
	Status  int    `json:"status,omitempty"`
	Result  Result `json:"result"`
	OrderID string `json:"order_id,omitempty"`
	Message string `json:"message,omitempty"`
}

// Client is a real HTTP client of the order service. It never retries on
// its own: each retry is an explicit action, so learners see every attempt.
type Client struct {
	base string
	http *http.Client

	mu       sync.Mutex
	history  []Outcome
	bodies   map[string]OrderRequest // last body sent per key, for Retry
	attempts map[string]int
}

func newClient(base string) *Client {
	return &Client{
		base: base,
		http: &http.Client{Transport: &http.Transport{
			// A fresh connection per request: with keep-alive, Go's transport
			// silently re-sends a request carrying an Idempotency-Key when a
			// reused connection drops, which would hide the very crash the
			// lab is showing.
			DisableKeepAlives: true,
		}},
		bodies:   map[string]OrderRequest{},
		attempts: map[string]int{},
	}
}

// begin records a request as waiting and returns its slot.
func (c *Client) begin(key string, req OrderRequest) Outcome {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.attempts[key]++
	c.bodies[key] = req
	o := Outcome{N: len(c.history) + 1, Key: key, Item: req.Item, Qty: req.Qty, Attempt: c.attempts[key], Result: ResultWaiting}
	o.Request = "req-" + strconv.Itoa(o.N)
	c.history = append(c.history, o)
	return o
}

func (c *Client) finish(o Outcome) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.history[o.N-1] = o
}

// post sends one request and classifies the answer.
func (c *Client) post(ctx context.Context, o Outcome) Outcome {
	body, _ := json.Marshal(OrderRequest{Item: o.Item, Qty: o.Qty})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/orders", bytes.NewReader(body))
	if err != nil {
		o.Result, o.Message = ResultError, err.Error()
		return o
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", o.Key)
	req.Header.Set("X-Request-Id", o.Request)
	resp, err := c.http.Do(req)
	if err != nil {
		o.Result, o.Message = ResultDropped, "connection closed with no response"
		return o
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, MaxBodyBytes))
	o.Status = resp.StatusCode
	var parsed struct {
		OrderID string `json:"order_id"`
		Error   string `json:"error"`
		Message string `json:"message"`
	}
	_ = json.Unmarshal(raw, &parsed)
	o.OrderID, o.Message = parsed.OrderID, parsed.Message
	switch {
	case resp.Header.Get("Idempotent-Replayed") == "true":
		o.Result = ResultReplayed
	case resp.StatusCode == http.StatusCreated:
		o.Result = ResultCreated
	case parsed.Error == "key-reused":
		o.Result = ResultKeyReused
	case resp.StatusCode == http.StatusConflict:
		o.Result = ResultInFlight
	case resp.StatusCode == http.StatusBadRequest:
		o.Result = ResultBadRequest
	case resp.StatusCode == http.StatusRequestEntityTooLarge:
		o.Result = ResultTooLarge
	case resp.StatusCode == http.StatusServiceUnavailable:
		o.Result = ResultUnavailable
	default:
		o.Result = ResultError
	}
	return o
}

// History returns every request the client made, oldest first.
func (c *Client) History() []Outcome {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Outcome(nil), c.history...)
}

// Last returns the latest request made with key.
func (c *Client) Last(key string) (Outcome, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := len(c.history) - 1; i >= 0; i-- {
		if c.history[i].Key == key {
			return c.history[i], true
		}
	}
	return Outcome{}, false
}

// Request returns a request by its name (req-3), as it stands now.
func (c *Client) Request(name string) (Outcome, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, o := range c.history {
		if o.Request == name {
			return o, true
		}
	}
	return Outcome{}, false
}

func (c *Client) body(key string) (OrderRequest, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	b, ok := c.bodies[key]
	return b, ok
}
