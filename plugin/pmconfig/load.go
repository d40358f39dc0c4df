package pmconfig

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// topLevelIgnored are keys of drunc's process-manager JSON that configure the
// drunc server itself (its gRPC address, authoriser, broadcaster); they are
// valid in the file but mean nothing to a kubectl plugin.
var topLevelIgnored = map[string]bool{
	"type": true, "name": true, "command_address": true,
	"authoriser": true, "broadcaster": true, "environment": true,
}

// Load reads drunc's K8s process-manager JSON. Keys it does not know are
// returned as warnings naming the key path; values of the wrong type are
// errors naming the key path (all of them, in one error). An empty path
// returns Default().
func Load(path string) (*Settings, []string, error) {
	if path == "" {
		return Default(), nil, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot read the process-manager configuration: %w", err)
	}
	s, warnings, err := Parse(data)
	if err != nil {
		return nil, warnings, fmt.Errorf("%s: %w", path, err)
	}
	for i := range warnings {
		warnings[i] = path + ": " + warnings[i]
	}
	return s, warnings, nil
}

// Parse is Load for bytes already read.
func Parse(data []byte) (*Settings, []string, error) {
	var raw map[string]any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		return nil, nil, jsonSyntaxError(data, err)
	}
	if dec.More() {
		return nil, nil, errors.New("unexpected data after the JSON object")
	}
	if raw == nil {
		return nil, nil, errors.New("the configuration must be a JSON object")
	}
	p := &parser{s: Default()}
	p.top(raw)
	if len(p.errs) > 0 {
		return nil, p.warnings, &Error{Problems: p.errs}
	}
	return p.s, p.warnings, nil
}

// Error lists every wrong value of a configuration, each with its key path.
type Error struct{ Problems []string }

func (e *Error) Error() string {
	if len(e.Problems) == 1 {
		return e.Problems[0]
	}
	return fmt.Sprintf("%d problems:\n  %s", len(e.Problems), strings.Join(e.Problems, "\n  "))
}

type parser struct {
	s        *Settings
	warnings []string
	errs     []string
}

func (p *parser) errorf(key, format string, a ...any) {
	p.errs = append(p.errs, key+": "+fmt.Sprintf(format, a...))
}

func (p *parser) unknown(key string) {
	p.warnings = append(p.warnings, key+": unknown key, ignored")
}

// each visits an object's keys in sorted order, so messages are stable.
func each(m map[string]any, fn func(k string, v any)) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fn(k, m[k])
	}
}

func (p *parser) top(raw map[string]any) {
	each(raw, func(k string, v any) {
		switch {
		case k == "image":
			if s, ok := p.str(k, v); ok {
				if s == "" {
					p.errorf(k, "must not be empty")
				}
				p.s.Image = s
			}
		case k == "settings":
			if m, ok := p.object(k, v); ok {
				p.settings(m)
			}
		case topLevelIgnored[k]:
		default:
			p.unknown(k)
		}
	})
}

func (p *parser) settings(m map[string]any) {
	each(m, func(k string, v any) {
		key := "settings." + k
		switch k {
		case "labels":
			if lm, ok := p.object(key, v); ok {
				each(lm, func(lk string, lv any) {
					if lk != "drunc_label" {
						p.unknown(key + "." + lk)
						return
					}
					if s, ok := p.str(key+"."+lk, lv); ok {
						// It becomes the suffix of label keys such as uuid.<s>.
						if err := session.CheckLabelDomain(s); err != nil {
							p.errorf(key+"."+lk, "%v", err)
						}
						p.s.LabelDomain = s
					}
				})
			}
		case "readout_app_selector":
			if s, ok := p.str(key, v); ok {
				if s == "" {
					p.errorf(key, "must not be empty (it would make every process a readout application)")
				}
				p.s.ReadoutAppSelector = s
			}
		case "service":
			p.fields(key, v, map[string]func(string, any){
				"headless_discovery_port": func(k string, v any) {
					if n, ok := p.integer(k, v); ok {
						if n < 1 || n > 65535 {
							p.errorf(k, "must be a port number between 1 and 65535, got %d", n)
						}
						p.s.HeadlessDiscoveryPort = int32(n)
					}
				},
			})
		case "pod_management":
			p.fields(key, v, map[string]func(string, any){
				"kill_timeout":      p.seconds(&p.s.KillTimeout),
				"pod_ready_timeout": p.seconds(&p.s.PodReadyTimeout),
			})
		case "cleanup":
			c := &p.s.Cleanup
			p.fields(key, v, map[string]func(string, any){
				"restart_cleanup_time":              p.number(&c.RestartCleanupTime),
				"restart_cleanup_polling":           p.number(&c.RestartCleanupPolling),
				"kill_watch_fallback_poll_interval": p.number(&c.KillWatchFallbackPollInterval),
			})
		case "checking":
			c := &p.s.Checking
			p.fields(key, v, map[string]func(string, any){
				"watcher_retry_sleep":     p.number(&c.WatcherRetrySleep),
				"pod_status_check_sleep":  p.number(&c.PodStatusCheckSleep),
				"host_cache_expiry":       p.number(&c.HostCacheExpiry),
				"service_startup_timeout": p.number(&c.ServiceStartupTimeout),
				"grpc_startup_timeout":    p.number(&c.ServiceStartupTimeout),
				"socket_retry_timeout":    p.number(&c.SocketRetryTimeout),
			})
		case "volumes":
			p.volumes(key, v)
		case "home_path_base":
			if s, ok := p.str(key, v); ok {
				if s != "" && !strings.HasPrefix(s, "/") {
					p.errorf(key, "must be an absolute path, got %q", s)
				}
				p.s.HomePathBase = strings.TrimRight(s, "/")
			}
		case "host_configs":
			p.hostConfigs(key, v)
		default:
			p.unknown(key)
		}
	})
}

// fields decodes an object whose known keys each have a setter.
func (p *parser) fields(key string, v any, setters map[string]func(string, any)) {
	m, ok := p.object(key, v)
	if !ok {
		return
	}
	each(m, func(k string, v any) {
		if set, ok := setters[k]; ok {
			set(key+"."+k, v)
			return
		}
		p.unknown(key + "." + k)
	})
}
