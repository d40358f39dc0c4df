package okssession

import (
	"fmt"
	"maps"
	"path"
	"strings"

	"github.com/kubectl-drunc/kubectl-drunc/plugin/oks"
	"github.com/kubectl-drunc/kubectl-drunc/plugin/session"
)

// add derives one process from an application object.
func (d *deriver) add(app *oks.Object, tree string, infra bool) error {
	if prev, ok := d.names[app.ID]; ok {
		return fmt.Errorf("%s: %s %q is used twice in Session %q (tree ids %s and %s): a process name must be unique", app.Where(), app.Class, app.ID, d.sess.ID, prev, tree)
	}
	d.names[app.ID] = tree

	physical, host, err := d.host(app)
	if err != nil {
		return err
	}
	exe := app.String("application_name")
	if exe == "" {
		return fmt.Errorf("%s: %s %q has no application_name: set it to the program to run", app.Where(), app.Class, app.ID)
	}

	env := maps.Clone(d.env)
	if err := collectVariables(app.RelAll("application_environment"), env); err != nil {
		return fmt.Errorf("%s: %s %q application_environment: %w", app.Where(), app.Class, app.ID, err)
	}
	env["DUNEDAQ_APPLICATION_NAME"] = app.ID
	env["DRUNC_HOST_NAME"] = host

	var execs []session.Executable
	if d.rte != "" {
		execs = append(execs, session.Executable{Exec: "source", Args: []string{d.rte}})
	}
	main := session.Executable{Exec: exe}
	if infra {
		// DUNE's connection server is started with shell syntax (trap, $$):
		// drunc hands these parameters to bash, and so do we, verbatim.
		main.Shell = strings.Join(app.Strings("commandline_parameters"), " ")
	} else {
		main.Args = d.daqArgs(app, physical)
	}
	execs = append(execs, main)

	d.out = append(d.out, session.Process{
		Name:        app.ID,
		Host:        host,
		TreeID:      tree,
		Executables: execs,
		Env:         env,
		LogPath:     d.logPath(app),
		DataMount:   dataDirectory(app),
	})
	return nil
}

// daqArgs is drunc's command line for controllers and DAQ applications.
func (d *deriver) daqArgs(app *oks.Object, physical string) []string {
	protocol, port := "", "-1" // drunc's values when no control service is exposed
	for _, svc := range app.RelAll("exposes_service") {
		if strings.HasSuffix(svc.ID, "_control") {
			protocol, port = svc.String("protocol"), svc.String("port")
			break
		}
	}
	args := []string{
		"-s", d.name,
		"-k", d.sess.ID,
		"-n", app.ID,
		"-c", protocol + "://" + physical + ":" + port,
		"-d", "oksconflibs:" + d.opts.File,
	}
	if app.IsA("RCApplication") {
		args = append(args, "-l", d.sess.String("controller_log_level"))
	}
	return args
}

// host follows runs_on (VirtualHost) → runs_on (PhysicalHost). It returns
// the PhysicalHost id as written (for the control address) and the node.
func (d *deriver) host(app *oks.Object) (physical, node string, err error) {
	vh := app.Rel("runs_on")
	if vh == nil {
		return "", "", fmt.Errorf("%s: %s %q has no runs_on: set it to the VirtualHost the process runs on", app.Where(), app.Class, app.ID)
	}
	ph := vh.Rel("runs_on")
	if ph == nil {
		return "", "", fmt.Errorf("%s: %s %q (runs_on of %s %q) has no runs_on: set it to a PhysicalHost", vh.Where(), vh.Class, vh.ID, app.Class, app.ID)
	}
	node = strings.TrimSuffix(ph.ID, "-1")
	if node == "localhost" || node == "127.0.0.1" {
		if d.opts.LocalhostNode == "" {
			return "", "", fmt.Errorf("%s: %s %q runs on PhysicalHost %q, which means the machine drunc runs on: pass --localhost NODE to name the Kubernetes node to use instead", app.Where(), app.Class, app.ID, ph.ID)
		}
		node = d.opts.LocalhostNode
	}
	return ph.ID, node, nil
}

// logPath is log_<user>_<session>_<app>.txt in the application's log_path,
// else the Session's, else the --log-dir directory; "" when none is set.
// drunc resolves a relative log_path (DUNE writes "./") against its own
// working directory, which no pod shares: here it is resolved against
// --log-dir, and without one the process gets no log file.
func (d *deriver) logPath(app *oks.Object) string {
	file := fmt.Sprintf("log_%s_%s_%s.txt", d.opts.User, d.name, app.ID)
	dir := app.String("log_path")
	if dir == "" {
		dir = d.sess.String("log_path")
	}
	if dir == "" {
		dir = d.opts.LogDir // used as given: validation names it if relative
	} else if !path.IsAbs(dir) {
		if d.opts.LogDir == "" {
			return ""
		}
		dir = path.Join(d.opts.LogDir, dir)
	}
	if dir == "" {
		return ""
	}
	return path.Join(dir, file)
}

// dataDirectory is where a data-writing application stores files, as drunc
// finds it (DFApplication data_writers, TPStreamWriterApplication
// tp_writer → data_store_params → directory_path). Only an absolute path
// can be mounted from the host, so a relative one is left to the container.
func dataDirectory(app *oks.Object) string {
	var writer *oks.Object
	switch {
	case app.IsA("DFApplication"):
		writer = app.Rel("data_writers")
	case app.IsA("TPStreamWriterApplication"):
		writer = app.Rel("tp_writer")
	}
	if writer == nil {
		return ""
	}
	params := writer.Rel("data_store_params")
	if params == nil {
		return ""
	}
	dir := params.String("directory_path")
	if !path.IsAbs(dir) {
		return ""
	}
	return path.Clean(dir)
}

// collectVariables flattens Variables and VariableSets into env, later
// entries overriding earlier ones, as drunc does.
func collectVariables(vars []*oks.Object, env map[string]string) error {
	f := flattener{done: map[*oks.Object][]variable{}, inPath: map[*oks.Object]bool{}}
	list, err := f.flatten(vars)
	if err != nil {
		return err
	}
	for _, v := range list {
		env[v.name] = v.value
	}
	return nil
}

type variable struct{ name, value string }

// flattener remembers each VariableSet's flattened list, so a set used in
// many places costs once, and refuses a set that contains itself.
type flattener struct {
	done   map[*oks.Object][]variable
	inPath map[*oks.Object]bool
}

func (f *flattener) flatten(vars []*oks.Object) ([]variable, error) {
	var out []variable
	for _, v := range vars {
		switch {
		case v.IsA("VariableSet"):
			if f.inPath[v] {
				return nil, fmt.Errorf("%s: VariableSet %q contains itself", v.Where(), v.ID)
			}
			list, ok := f.done[v]
			if !ok {
				f.inPath[v] = true
				var err error
				list, err = f.flatten(v.RelAll("contains"))
				delete(f.inPath, v)
				if err != nil {
					return nil, err
				}
				f.done[v] = list
			}
			out = append(out, list...)
		case v.IsA("Variable"):
			name := v.String("name")
			if name == "" {
				return nil, fmt.Errorf("%s: Variable %q has no name: set its name attribute", v.Where(), v.ID)
			}
			out = append(out, variable{name, v.String("value")})
		}
	}
	return out, nil
}
