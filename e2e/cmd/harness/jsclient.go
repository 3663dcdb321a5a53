// Copyright 2026 The newt Authors. All rights reserved.
// Use of this source code is governed by an Apache-2.0 license
// that can be found in the LICENSE file.

package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"time"
)

// jsDriver talks to js/client.mjs: matrix-js-sdk clients in one Node process.
type jsDriver struct {
	cmd     *exec.Cmd
	in      io.WriteCloser
	mu      sync.Mutex
	next    int
	pending map[int]chan jsAnswer
	dead    chan struct{}
}

type jsAnswer struct {
	ID     int             `json:"id"`
	OK     bool            `json:"ok"`
	Result json.RawMessage `json:"result"`
	Error  string          `json:"error"`
}

func startJS(script, logPath string) (*jsDriver, error) {
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command("node", script)
	cmd.Stderr = logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	d := &jsDriver{cmd: cmd, in: in, pending: map[int]chan jsAnswer{}, dead: make(chan struct{})}
	go func() {
		sc := bufio.NewScanner(out)
		sc.Buffer(make([]byte, 1<<16), 1<<24)
		for sc.Scan() {
			var a jsAnswer
			if json.Unmarshal(sc.Bytes(), &a) != nil {
				continue
			}
			d.mu.Lock()
			ch := d.pending[a.ID]
			delete(d.pending, a.ID)
			d.mu.Unlock()
			if ch != nil {
				ch <- a
			}
		}
		_ = cmd.Wait()
		logf.Close()
		close(d.dead)
	}()
	return d, nil
}

// call runs one command and decodes its result into out (if not nil).
func (d *jsDriver) call(ctx context.Context, cmd string, args map[string]any, out any) error {
	d.mu.Lock()
	d.next++
	id := d.next
	ch := make(chan jsAnswer, 1)
	d.pending[id] = ch
	d.mu.Unlock()
	line, err := json.Marshal(map[string]any{"id": id, "cmd": cmd, "args": args})
	if err != nil {
		return err
	}
	if _, err := d.in.Write(append(line, '\n')); err != nil {
		return fmt.Errorf("js-sdk %s: %w", cmd, err)
	}
	select {
	case a := <-ch:
		if !a.OK {
			return fmt.Errorf("js-sdk %s: %s", cmd, firstLine(a.Error))
		}
		if out != nil {
			return json.Unmarshal(a.Result, out)
		}
		return nil
	case <-d.dead:
		return errors.New("the js-sdk process ended")
	case <-ctx.Done():
		return fmt.Errorf("js-sdk %s: %w", cmd, ctx.Err())
	}
}

func (d *jsDriver) close() {
	d.in.Close()
	select {
	case <-d.dead:
	case <-time.After(10 * time.Second):
		_ = d.cmd.Process.Kill()
	}
}

func firstLine(s string) string {
	for i := range len(s) {
		if s[i] == '\n' {
			return s[:i]
		}
	}
	return s
}

// jsClient is one named matrix-js-sdk client in the Node process.
type jsClient struct {
	d        *jsDriver
	name     string
	UserID   string `json:"userId"`
	DeviceID string `json:"deviceId"`
	Curve    string `json:"curve25519"`
	Ed       string `json:"ed25519"`
}

// jsEvent is what a js-sdk client saw of a timeline event.
type jsEvent struct {
	EventID   string  `json:"eventId"`
	RoomID    string  `json:"roomId"`
	Sender    string  `json:"sender"`
	Type      string  `json:"type"`
	Body      *string `json:"body"`
	Encrypted bool    `json:"encrypted"`
	SessionID string  `json:"sessionId"`
	Failure   *string `json:"failure"`
}

func (d *jsDriver) login(ctx context.Context, name, baseURL, user, password string) (*jsClient, error) {
	c := &jsClient{d: d, name: name}
	err := d.call(ctx, "login", map[string]any{"name": name, "baseUrl": baseURL, "user": user, "password": password}, c)
	return c, err
}

func (c *jsClient) do(ctx context.Context, cmd string, args map[string]any, out any) error {
	if args == nil {
		args = map[string]any{}
	}
	args["client"] = c.name
	return c.d.call(ctx, cmd, args, out)
}

func (c *jsClient) send(ctx context.Context, roomID, body string) (string, error) {
	var r struct {
		EventID string `json:"eventId"`
	}
	err := c.do(ctx, "send", map[string]any{"roomId": roomID, "body": body}, &r)
	return r.EventID, err
}

func (c *jsClient) waitMessage(ctx context.Context, roomID, sender, body string, timeout time.Duration) (*jsEvent, error) {
	var e jsEvent
	err := c.do(ctx, "waitMessage", map[string]any{
		"match":     map[string]any{"roomId": roomID, "sender": sender, "body": body},
		"timeoutMs": timeout.Milliseconds(),
	}, &e)
	return &e, err
}

// do2waitPrefix waits for a decrypted message whose body starts with prefix
// and returns the body.
func (c *jsClient) do2waitPrefix(ctx context.Context, roomID, sender, prefix string, timeout time.Duration) (string, error) {
	var e jsEvent
	err := c.do(ctx, "waitMessage", map[string]any{
		"match":     map[string]any{"roomId": roomID, "sender": sender, "bodyPrefix": prefix},
		"timeoutMs": timeout.Milliseconds(),
	}, &e)
	if err != nil || e.Body == nil {
		return "", err
	}
	return *e.Body, nil
}

func (c *jsClient) createRoom(ctx context.Context, invite []string, rotationMsgs int) (string, error) {
	var r struct {
		RoomID string `json:"roomId"`
	}
	args := map[string]any{"invite": invite}
	if rotationMsgs > 0 {
		args["rotationPeriodMsgs"] = rotationMsgs
	}
	err := c.do(ctx, "createRoom", args, &r)
	return r.RoomID, err
}

func (c *jsClient) waitMember(ctx context.Context, roomID, userID, membership string) error {
	return c.do(ctx, "waitMember", map[string]any{"roomId": roomID, "userId": userID, "membership": membership, "timeoutMs": 30000}, nil)
}

// waitDevice waits until the client's device list for userID holds deviceID.
func (c *jsClient) waitDevice(ctx context.Context, userID, deviceID string) error {
	for end := time.Now().Add(30 * time.Second); ; {
		var r struct {
			DeviceIDs []string `json:"deviceIds"`
		}
		if err := c.do(ctx, "trackUser", map[string]any{"userId": userID}, &r); err != nil {
			return err
		}
		for _, d := range r.DeviceIDs {
			if d == deviceID {
				return nil
			}
		}
		if time.Now().After(end) {
			return fmt.Errorf("%s never saw device %s of %s", c.name, deviceID, userID)
		}
		if err := sleep(ctx, 250*time.Millisecond); err != nil {
			return err
		}
	}
}
