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
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// freePort asks the kernel for a free TCP port on 127.0.0.1.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// homeserver controls the Dendrite process that run.sh started. Its PID is
// in pidfile, which run.sh reads to stop it at the end; a restart here
// writes the new PID there.
type homeserver struct {
	url     string
	secret  string
	pidfile string
	dir     string
	logPath string
	cmd     []string
}

func (hs *homeserver) pid() (int, error) {
	b, err := os.ReadFile(hs.pidfile)
	if err != nil {
		return 0, err
	}
	return strconv.Atoi(strings.TrimSpace(string(b)))
}

// alive reports whether pid runs (a zombie counts as gone).
func alive(pid int) bool {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	s := string(b)
	if i := strings.LastIndexByte(s, ')'); i >= 0 && i+2 < len(s) {
		return s[i+2] != 'Z'
	}
	return true
}

// stop sends SIGTERM and waits (bounded) for the process to end.
func (hs *homeserver) stop() error {
	pid, err := hs.pid()
	if err != nil {
		return err
	}
	if err := syscall.Kill(pid, syscall.SIGTERM); err != nil {
		return fmt.Errorf("stopping Dendrite (pid %d): %w", pid, err)
	}
	for end := time.Now().Add(30 * time.Second); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		if !alive(pid) {
			return nil
		}
	}
	_ = syscall.Kill(pid, syscall.SIGKILL)
	return fmt.Errorf("the homeserver (pid %d) did not stop within 30 s", pid)
}

// start runs the homeserver command again and waits until it answers.
func (hs *homeserver) start(ctx context.Context) error {
	out, err := os.OpenFile(hs.logPath, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	defer out.Close()
	cmd := exec.Command(hs.cmd[0], hs.cmd[1:]...)
	cmd.Dir = hs.dir
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		return err
	}
	go func() { _ = cmd.Wait() }() // reap it whenever it ends
	if err := os.WriteFile(hs.pidfile, []byte(strconv.Itoa(cmd.Process.Pid)+"\n"), 0o644); err != nil {
		return err
	}
	return hs.waitReady(ctx, 60*time.Second)
}

func (hs *homeserver) waitReady(ctx context.Context, timeout time.Duration) error {
	end := time.Now().Add(timeout)
	for time.Now().Before(end) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, hs.url+"/_matrix/client/versions", nil)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		if err := sleep(ctx, 250*time.Millisecond); err != nil {
			return err
		}
	}
	return fmt.Errorf("homeserver did not answer within %s", timeout)
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// logLines collects JSON log lines of a process and lets checks wait for one.
type logLines struct {
	mu    sync.Mutex
	cond  *sync.Cond
	lines []map[string]any
	done  bool
}

func newLogLines() *logLines {
	l := &logLines{}
	l.cond = sync.NewCond(&l.mu)
	return l
}

func (l *logLines) feed(r io.Reader, copyTo io.Writer) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<16), 1<<22)
	for sc.Scan() {
		line := sc.Bytes()
		if copyTo != nil {
			copyTo.Write(append(append([]byte{}, line...), '\n'))
		}
		var m map[string]any
		if json.Unmarshal(line, &m) != nil {
			m = map[string]any{"message": string(line)}
		}
		l.mu.Lock()
		l.lines = append(l.lines, m)
		l.cond.Broadcast()
		l.mu.Unlock()
	}
	l.mu.Lock()
	l.done = true
	l.cond.Broadcast()
	l.mu.Unlock()
}

// mark returns the position to search from for lines logged after now.
func (l *logLines) mark() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.lines)
}

// wait returns the first line at or after position from that satisfies pred.
func (l *logLines) wait(ctx context.Context, from int, timeout time.Duration, what string, pred func(map[string]any) bool) (map[string]any, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	stop := context.AfterFunc(ctx, func() {
		l.mu.Lock()
		l.cond.Broadcast()
		l.mu.Unlock()
	})
	defer stop()
	l.mu.Lock()
	defer l.mu.Unlock()
	for i := from; ; {
		for ; i < len(l.lines); i++ {
			if pred(l.lines[i]) {
				return l.lines[i], nil
			}
		}
		if l.done {
			return nil, fmt.Errorf("process ended before logging %s", what)
		}
		if ctx.Err() != nil {
			return nil, fmt.Errorf("timed out after %s waiting for the log line %s", timeout, what)
		}
		l.cond.Wait()
	}
}

// all returns the lines at or after from that satisfy pred.
func (l *logLines) all(from int, pred func(map[string]any) bool) []map[string]any {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []map[string]any
	for _, m := range l.lines[min(from, len(l.lines)):] {
		if pred(m) {
			out = append(out, m)
		}
	}
	return out
}

func msgIs(text string) func(map[string]any) bool {
	return func(m map[string]any) bool { return m["message"] == text }
}

func str(m map[string]any, k string) string {
	s, _ := m[k].(string)
	return s
}

// botProc runs the example bot as a separate process.
type botProc struct {
	bin      string
	args     []string
	env      []string
	logPath  string
	cmd      *exec.Cmd
	stdin    io.WriteCloser
	log      *logLines
	exited   chan struct{}
	exitErr  error
	deviceID string
	curve    string
	ed       string
	driver   string
}

func (b *botProc) start(ctx context.Context) error {
	out, err := os.OpenFile(b.logPath, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	cmd := exec.Command(b.bin, b.args...)
	cmd.Env = append(os.Environ(), b.env...)
	// If the harness dies, so does the bot (the homeserver is stopped by
	// run.sh, and a bot left behind would retry its sync for ever).
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		out.Close()
		return err
	}
	cmd.Stdout = out
	b.stdin, err = cmd.StdinPipe()
	if err != nil {
		out.Close()
		return err
	}
	if err := cmd.Start(); err != nil {
		out.Close()
		return err
	}
	b.cmd, b.log, b.exited = cmd, newLogLines(), make(chan struct{})
	logs := b.log
	fed := make(chan struct{})
	go func() { logs.feed(stderr, out); close(fed) }()
	go func() {
		<-fed
		b.exitErr = cmd.Wait()
		out.Close()
		close(b.exited)
	}()
	ready, err := logs.wait(ctx, 0, 90*time.Second, `"ready"`, msgIs("ready"))
	if err != nil {
		return err
	}
	b.deviceID, b.curve, b.ed, b.driver = str(ready, "device_id"), str(ready, "curve25519"), str(ready, "ed25519"), str(ready, "olm_driver")
	return nil
}

func (b *botProc) console(line string) error {
	_, err := io.WriteString(b.stdin, line+"\n")
	return err
}

// stop ends the bot gracefully (SIGTERM) and waits for it.
func (b *botProc) stop() error {
	if b.cmd == nil {
		return nil
	}
	select {
	case <-b.exited:
		return fmt.Errorf("the bot had already exited: %v", b.exitErr)
	default:
	}
	_ = b.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-b.exited:
	case <-time.After(30 * time.Second):
		_ = b.cmd.Process.Kill()
		<-b.exited
		return errors.New("the bot did not stop within 30 s of SIGTERM")
	}
	if b.exitErr != nil {
		return fmt.Errorf("the bot exited with %v", b.exitErr)
	}
	return nil
}

// kill ends the bot with SIGKILL, as a crash would.
func (b *botProc) kill() {
	if b.cmd == nil {
		return
	}
	_ = b.cmd.Process.Signal(syscall.SIGKILL)
	<-b.exited
}
