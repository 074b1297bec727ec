package sim

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
)

// Response is what the order service answers, before HTTP framing.
type Response struct {
	Status   int
	Body     []byte
	Replayed bool
	OrderID  string
}

// apiError is the JSON body of every error answer.
type apiError struct {
	Error   string `json:"error"`
	Message string `json:"message"`
}

func errorResponse(status int, code, message string) Response {
	body, _ := json.Marshal(apiError{Error: code, Message: message})
	return Response{Status: status, Body: body}
}

// service is the order service: the use case behind POST /orders.
type service struct {
	lab *Lab

	mu   sync.Mutex
	open map[string]bool // orders whose request is still running
}

// openOrder records that a request owns orderID until it returns. A crash
// unwinds the request and so forgets it: that is the in-memory state a dead
// process loses.
func (s *service) openOrder(id string) func() {
	s.mu.Lock()
	s.open[id] = true
	s.mu.Unlock()
	return func() {
		s.mu.Lock()
		delete(s.open, id)
		s.mu.Unlock()
	}
}

func (s *service) isOpen(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.open[id]
}

// place runs the whole flow for one order request. A non-nil error is
// always an injected crash; every other failure is an answer.
func (s *service) place(ctx context.Context, work, key string, req OrderRequest) (Response, error) {
	l := s.lab
	sw := l.Switches()
	if err := l.hit("api.received", work, key); err != nil {
		return Response{}, err
	}
	fp := fingerprint(req)
	if sw.Idempotency != IdempotencyOff {
		ok, rec, err := l.idem.reserve(ctx, key, fp, l.clock.Now())
		if err != nil {
			l.note(LaneAPI, LaneRedis, work, "SET NX failed", key, "", "", err.Error())
			return errorResponse(http.StatusServiceUnavailable, "redis-unavailable", "Redis did not answer: "+err.Error()), nil
		}
		if !ok {
			l.note(LaneAPI, LaneRedis, work, "SET NX: key exists", key, rec.OrderID, "", rec.State)
			return s.answerExisting(work, key, fp, rec, sw), nil
		}
		l.note(LaneAPI, LaneRedis, work, "SET NX: reserved", key, "", "", "lock TTL "+l.opts.LockTTL.String())
		l.trackKey(key)
		if err := l.hit("idem.reserved", work, key); err != nil {
			return Response{}, err // the key stays in flight until its lock TTL
		}
	}
	resp, err := s.create(ctx, work, key, req, sw)
	if err != nil {
		if errors.Is(err, ErrCrashed) {
			return Response{}, err
		}
		if sw.Idempotency != IdempotencyOff {
			// A handled failure frees the key, so the client may retry now
			// rather than wait out the lock TTL.
			if rerr := l.idem.release(ctx, key, fp); rerr == nil {
				l.untrackKey(key)
				l.note(LaneAPI, LaneRedis, work, "DEL key (request failed)", key, "", "", "")
			}
		}
		return failureResponse(err), nil
	}
	if resp.Status >= 300 { // the database refused the key (another body)
		if sw.Idempotency != IdempotencyOff {
			_ = l.idem.release(ctx, key, fp)
		}
		return resp, nil
	}
	if sw.Idempotency != IdempotencyOff {
		if err := l.idem.complete(ctx, key, fp, resp, l.clock.Now()); err != nil {
			// The order is committed; only later replays suffer, and the
			// UNIQUE constraint (redis+db) still catches them.
			l.note(LaneAPI, LaneRedis, work, "SET response failed", key, resp.OrderID, "", err.Error())
		} else {
			l.untrackKey(key)
			l.note(LaneAPI, LaneRedis, work, "SET key completed", key, resp.OrderID, "", "retention "+l.opts.Retention.String())
		}
		if err := l.hit("idem.completed", work, key); err != nil {
			return Response{}, err
		}
	}
	return resp, nil
}

// answerExisting answers a request whose key is already in Redis.
func (s *service) answerExisting(work, key, fp string, rec *idemRecord, sw Switches) Response {
	switch {
	case rec.Fingerprint != fp:
		status := http.StatusUnprocessableEntity
		if sw.Conflicts == Conflicts409 {
			status = http.StatusConflict
		}
		return errorResponse(status, "key-reused", "this Idempotency-Key was already used with a different body")
	case rec.State != KeyCompleted:
		return errorResponse(http.StatusConflict, "in-flight", "a request with this Idempotency-Key is still in progress; retry later")
	}
	s.lab.note(LaneAPI, LaneAPI, work, "replay stored response", key, rec.OrderID, "", "")
	return Response{Status: rec.Status, Body: rec.Body, Replayed: true, OrderID: rec.OrderID}
}

// create writes the order (and, by switch, its outbox row or a direct
// publish) in one transaction.
func (s *service) create(ctx context.Context, work, key string, req OrderRequest, sw Switches) (Response, error) {
	l := s.lab
	orderID, eventID := l.ids.next(), l.ids.next()
	defer s.openOrder(orderID)()

	leave, err := l.writes.enter(ctx, l.opts.BusyTimeout)
	if err != nil {
		return Response{}, fmt.Errorf("begin: %w", err)
	}
	defer leave()
	tx, err := l.db.BeginTx(ctx, nil)
	if err != nil {
		return Response{}, fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback() // a crash or an error unwinds through here
	now := formatLabTime(l.clock.Now())
	var unique any
	if sw.Idempotency == IdempotencyRedisDB {
		unique = key
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO orders (id, idempotency_key, unique_key, item, qty, publish_mode, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`, orderID, key, unique, req.Item, req.Qty, string(sw.Publish), now)
	if isUniqueViolation(err) {
		tx.Rollback()
		l.note(LaneAPI, LaneSQLite, work, "INSERT order: UNIQUE(key) violated", key, "", "", "the database caught the duplicate")
		return s.replayFromDB(ctx, work, key, req)
	}
	if err != nil {
		return Response{}, fmt.Errorf("insert order: %w", err)
	}
	l.note(LaneAPI, LaneSQLite, work, "BEGIN; INSERT order", key, orderID, "", "")
	l.changed(&l.versions.orders)
	if err := l.hit("db.order_inserted", work, key); err != nil {
		return Response{}, err
	}

	payload, _ := json.Marshal(OrderCreated{EventID: eventID, OrderID: orderID, Key: key, Item: req.Item, Qty: req.Qty})
	switch sw.Publish {
	case PublishOutbox:
		if _, err := tx.ExecContext(ctx, `INSERT INTO outbox (event_id, order_id, type, payload, next_attempt_at, created_at)
			VALUES (?, ?, 'OrderCreated', ?, ?, ?)`, eventID, orderID, string(payload), now, now); err != nil {
			return Response{}, fmt.Errorf("insert outbox row: %w", err)
		}
		l.note(LaneAPI, LaneSQLite, work, "INSERT outbox row", key, orderID, eventID, "")
		if err := l.hit("db.outbox_inserted", work, key); err != nil {
			return Response{}, err
		}
	case PublishBeforeCommit:
		if err := s.publishDirect(work, key, orderID, eventID, payload); err != nil {
			return Response{}, err
		}
	}

	if err := tx.Commit(); err != nil {
		return Response{}, fmt.Errorf("commit: %w", err)
	}
	l.note(LaneAPI, LaneSQLite, work, "COMMIT", key, orderID, "", "")
	l.changed(&l.versions.orders)
	if err := l.hit("db.committed", work, key); err != nil {
		return Response{}, err
	}
	if sw.Publish == PublishAfterCommit {
		if err := s.publishDirect(work, key, orderID, eventID, payload); err != nil {
			if errors.Is(err, ErrCrashed) {
				return Response{}, err
			}
			// The naive code logs and moves on: the order stands, the
			// event is gone. That is the lesson.
			l.note(LaneAPI, LaneAPI, work, "event lost: publish failed after commit", key, orderID, eventID, err.Error())
		}
	}
	body, _ := json.Marshal(orderBody{OrderID: orderID, Key: key, Item: req.Item, Qty: req.Qty})
	return Response{Status: http.StatusCreated, Body: body, OrderID: orderID}, nil
}

// publishDirect is the naive way: the service itself talks to the broker.
func (s *service) publishDirect(work, key, orderID, eventID string, payload []byte) error {
	l := s.lab
	if err := l.hit("publish.before", work, key); err != nil {
		return err
	}
	if _, err := l.broker.publish(Message{EventID: eventID, OrderID: orderID, Type: "OrderCreated", Payload: string(payload), Source: "api"}); err != nil {
		l.note(LaneAPI, LaneBroker, work, "publish failed", key, orderID, eventID, err.Error())
		return fmt.Errorf("publish: %w", err)
	}
	l.note(LaneAPI, LaneBroker, work, "publish OrderCreated", key, orderID, eventID, "direct")
	l.changed(&l.versions.broker)
	return l.hit("publish.after", work, key)
}

// replayFromDB answers a duplicate the UNIQUE constraint caught: Redis had
// lost the key, the database had not.
func (s *service) replayFromDB(ctx context.Context, work, key string, req OrderRequest) (Response, error) {
	var b orderBody
	err := s.lab.db.QueryRowContext(ctx, `SELECT id, idempotency_key, item, qty FROM orders WHERE unique_key = ?`, key).
		Scan(&b.OrderID, &b.Key, &b.Item, &b.Qty)
	if errors.Is(err, sql.ErrNoRows) {
		return Response{}, errors.New("the order holding this key vanished; retry")
	}
	if err != nil {
		return Response{}, fmt.Errorf("read existing order: %w", err)
	}
	if b.Item != req.Item || b.Qty != req.Qty {
		status := http.StatusUnprocessableEntity
		if s.lab.Switches().Conflicts == Conflicts409 {
			status = http.StatusConflict
		}
		return errorResponse(status, "key-reused", "this Idempotency-Key was already used with a different body"), nil
	}
	body, _ := json.Marshal(b)
	s.lab.note(LaneAPI, LaneAPI, work, "replay existing order from the database", key, b.OrderID, "", "")
	return Response{Status: http.StatusCreated, Body: body, Replayed: true, OrderID: b.OrderID}, nil
}

// failureResponse words a handled failure for the client.
func failureResponse(err error) Response {
	switch {
	case errors.Is(err, ErrBrokerDown):
		return errorResponse(http.StatusServiceUnavailable, "broker-unavailable", "the broker is down; nothing was saved; retry later")
	case isBusy(err):
		return errorResponse(http.StatusServiceUnavailable, "database-busy", "another transaction holds the database write lock; retry later")
	}
	return errorResponse(http.StatusInternalServerError, "internal", err.Error())
}
