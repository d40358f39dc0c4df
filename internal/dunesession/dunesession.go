// Package dunesession builds DUNE-sized sessions for tests: the processes
// of examples/boot/demo-session.yaml, with examples/pm-config.json, cloned
// into as many segments and applications as asked, on hundreds of hosts,
// with the environment a DUNE OKS configuration gives every application.
// Rendered, its pods are as large as real DUNE pods.
package dunesession

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/kubectl-drunc/kubectl-drunc/internal/sharedoks"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/bootfile"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/pmconfig"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// AppsPerSegment is how many applications each segment controller has.
const AppsPerSegment = 40

// Hosts is how many hosts the processes are spread over.
const Hosts = 500

// Session returns a session named name of n processes (n ≥ 3): the
// example's connection server and root controller, then segments of a
// controller and AppsPerSegment applications, every tenth a readout
// application; and the example's settings with host_configs for every
// host.
func Session(name string, n int) (*session.Session, *pmconfig.Settings, error) {
	root, err := sharedoks.RepoRoot()
	if err != nil {
		return nil, nil, err
	}
	f, err := bootfile.Read(filepath.Join(root, "examples", "boot", "demo-session.yaml"), nil)
	if err != nil {
		return nil, nil, err
	}
	demo, err := f.Session(bootfile.Overrides{Session: name, User: "np04daq"})
	if err != nil {
		return nil, nil, err
	}
	st, _, err := pmconfig.Load(filepath.Join(root, "examples", "pm-config.json"))
	if err != nil {
		return nil, nil, err
	}
	tmpl := map[string]session.Process{}
	for _, p := range demo.Processes {
		tmpl[p.Name] = p
	}
	hc := st.HostConfigs["np02-srv-002"]
	for h := 0; h < Hosts; h++ {
		st.HostConfigs[host(h)] = hc
	}
	s := &session.Session{Name: name, User: demo.User,
		Processes: []session.Process{tmpl["local-connection-server"], tmpl["root-controller"]}}
	for seg := 0; len(s.Processes) < n; seg++ {
		ctl := clone(tmpl["ru-controller"], "ru-controller", fmt.Sprintf("seg%03d-controller", seg), fmt.Sprintf("0.%d", seg), len(s.Processes), name)
		s.Processes = append(s.Processes, ctl)
		for app := 0; app < AppsPerSegment && len(s.Processes) < n; app++ {
			from, prefix := "df-01", "df"
			if app%10 == 0 {
				from, prefix = "runp02srv002eth0", "runp"
			}
			p := clone(tmpl[from], from, fmt.Sprintf("%s-%03d-%02d", prefix, seg, app), fmt.Sprintf("0.%d.%d", seg, app), len(s.Processes), name)
			s.Processes = append(s.Processes, p)
		}
	}
	return s, st, nil
}

func host(i int) string { return fmt.Sprintf("np04-srv-%03d", i) }

// clone is template under a new name, tree id and host, with the
// environment drunc's OKS derivation gives an application.
func clone(t session.Process, from, name, tree string, i int, sessionName string) session.Process {
	h := host(i % Hosts)
	r := strings.NewReplacer(from, name, "np02-srv-002", h, "np02-srv-003", h, "demo-session", sessionName)
	p := t
	p.Name, p.TreeID, p.Host = name, tree, h
	p.LogPath = r.Replace(t.LogPath)
	p.DataMount = r.Replace(t.DataMount)
	p.Executables = nil
	for _, e := range t.Executables {
		args := make([]string, len(e.Args))
		for k, a := range e.Args {
			args[k] = strings.ReplaceAll(r.Replace(a), ":334", fmt.Sprintf(":%d", 3400+i%1000))
		}
		p.Executables = append(p.Executables, session.Executable{Exec: e.Exec, Args: args, Shell: e.Shell})
	}
	p.Env = map[string]string{}
	for k, v := range t.Env {
		p.Env[k] = r.Replace(v)
	}
	for k, v := range map[string]string{
		"DUNEDAQ_APPLICATION_NAME": name, "DRUNC_HOST_NAME": h, "DUNEDAQ_ERS_VERBOSITY_LEVEL": "2",
		"DUNEDAQ_ERS_INFO": "erstrace,throttle,lstdout", "DUNEDAQ_ERS_WARNING": "erstrace,throttle,lstdout",
		"DUNEDAQ_ERS_ERROR": "erstrace,throttle,lstdout", "DUNEDAQ_ERS_FATAL": "erstrace,lstdout",
		"DUNEDAQ_PARTITION": sessionName, "TIMING_SHARE": "/cvmfs/dunedaq.opensciencegrid.org/spack/releases/fddaq-v5.2.0/timing/share",
		"DETCHANNELMAPS_SHARE": "/cvmfs/dunedaq.opensciencegrid.org/spack/releases/fddaq-v5.2.0/detchannelmaps/share",
	} {
		p.Env[k] = v
	}
	return p
}
