package podspec

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// drunc's patterns (k8s_process_manager._extract_port_from_cmd), applied to
// each executable's words joined by spaces.
var (
	gunicornBindPort = regexp.MustCompile(`(-b|--bind)[\s=]+[\w.]+:(\d+)`)
	gunicornBindVar  = regexp.MustCompile(`(-b|--bind)[\s=]+[\w.]+:\$\{(\w+)\}`)
	controllerPort   = regexp.MustCompile(`--port[\s=]+(\d+)`)
	controllerGRPC   = regexp.MustCompile(`-c\s+["']?grpc://[^:]+:(\d+)["']?`)
	grpcAddress      = regexp.MustCompile(`(grpc://)([^:]+)(:\d+)`)
)

// ExtractPort finds the port a process serves on, as drunc does: gunicorn's
// -b/--bind host:PORT (or host:${VAR} resolved from the process env), a
// controller's --port N or -c grpc://host:N. It returns 0 when none is found
// (or the port is 0, or not a valid port).
func ExtractPort(p *session.Process) int32 {
	for _, e := range p.Executables {
		words := append([]string{e.Exec}, e.Args...)
		if e.Shell != "" {
			words = append(words, e.Shell)
		}
		line := strings.Join(words, " ")
		if strings.Contains(line, "gunicorn") {
			if m := gunicornBindPort.FindStringSubmatch(line); m != nil {
				if n := port(m[2]); n != 0 {
					return n
				}
			}
			if m := gunicornBindVar.FindStringSubmatch(line); m != nil {
				if n := port(p.Env[m[2]]); n != 0 {
					return n
				}
			}
		}
		if strings.Contains(line, "controller") {
			if m := controllerPort.FindStringSubmatch(line); m != nil {
				if n := port(m[1]); n != 0 {
					return n
				}
			}
			if m := controllerGRPC.FindStringSubmatch(line); m != nil {
				if n := port(m[1]); n != 0 {
					return n
				}
			}
		}
	}
	return 0
}

func port(s string) int32 {
	n, err := strconv.Atoi(s)
	if err != nil || n <= 0 || n > 65535 {
		return 0
	}
	return int32(n)
}
