// Package dune generates the sessions the benchmarks boot: drunc's shape of
// a DUNE session at any size.
package dune

import (
	"fmt"
	"math/rand/v2"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// SegmentSize is the processes of one segment: a controller and 19
// applications.
const SegmentSize = 20

// Session builds a DUNE-shaped session of processes in all: a connection
// server and a root controller on the first host, then segments of one
// controller and 19 applications spread round robin over the other hosts.
func Session(name string, hosts []string, processes int) *session.Session {
	rte := session.Executable{Exec: "source", Args: []string{"/opt/daq/env/setup_rte.sh"}}
	// The NodePort is cluster-wide: a random one, so runs do not collide.
	port := 30000 + rand.IntN(2700)
	s := &session.Session{Name: name, User: "np04daq", Processes: []session.Process{
		{Name: "local-connection-server", Host: hosts[0], TreeID: "1",
			Executables: []session.Executable{{Exec: "gunicorn", Shell: fmt.Sprintf("-b 0.0.0.0:%d connection-service.connection-flask:app", port)}}},
		{Name: "root-controller", Host: hosts[0], TreeID: "0",
			Executables: []session.Executable{rte, {Exec: "drunc-controller", Args: []string{"-s", name, "-n", "root-controller", "-c", "grpc://" + hosts[0] + ":0"}}}},
	}}
	for i := 0; len(s.Processes) < processes; i++ {
		seg, app := i/SegmentSize, i%SegmentSize
		host := hosts[1+i%(len(hosts)-1)]
		p := session.Process{Host: host, TreeID: fmt.Sprintf("0.%d.%d", seg, app),
			Env: map[string]string{"DUNEDAQ_SESSION": name}}
		exe := session.Executable{Exec: "daq_application", Args: []string{"-s", name, "-c", "rest://" + host + ":4000"}}
		switch app {
		case 0:
			p.Name, p.TreeID = fmt.Sprintf("seg-%03d-controller", seg), fmt.Sprintf("0.%d", seg)
			exe.Exec = session.ControllerExecutable
		default:
			p.Name = fmt.Sprintf("app-%03d-%02d", seg, app)
		}
		exe.Args = append(exe.Args, "-n", p.Name)
		p.Executables = []session.Executable{rte, exe}
		s.Processes = append(s.Processes, p)
	}
	return s
}
