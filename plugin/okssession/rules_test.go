package okssession

import (
	"io/fs"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// miniSchema declares the confmodel classes and fields the derivation uses,
// in OKS's shape (names as in DUNE's confmodel; written for these tests).
const miniSchema = `<?xml version="1.0" encoding="ASCII"?>
<oks-schema>
<info name=""/>
 <class name="Component" is-abstract="yes"/>
 <class name="Application" is-abstract="yes">
  <superclass name="Component"/>
  <attribute name="application_name" type="string"/>
  <attribute name="commandline_parameters" type="string" is-multi-value="yes"/>
  <attribute name="log_path" type="string"/>
  <relationship name="application_environment" class-type="VariableBase" low-cc="zero" high-cc="many" is-composite="no" is-exclusive="no" is-dependent="no"/>
  <relationship name="runs_on" class-type="VirtualHost" low-cc="one" high-cc="one" is-composite="no" is-exclusive="no" is-dependent="no"/>
  <relationship name="exposes_service" class-type="Service" low-cc="zero" high-cc="many" is-composite="no" is-exclusive="no" is-dependent="no"/>
 </class>
 <class name="RCApplication"><superclass name="Application"/><attribute name="application_name" type="string" init-value="drunc-controller"/></class>
 <class name="DaqApplication"><superclass name="Application"/><attribute name="application_name" type="string" init-value="daq_application"/></class>
 <class name="DFApplication">
  <superclass name="DaqApplication"/>
  <relationship name="data_writers" class-type="DataWriterConf" low-cc="one" high-cc="many" is-composite="no" is-exclusive="no" is-dependent="no"/>
 </class>
 <class name="DataWriterConf"><relationship name="data_store_params" class-type="DataStoreConf" low-cc="one" high-cc="one" is-composite="no" is-exclusive="no" is-dependent="no"/></class>
 <class name="DataStoreConf"><attribute name="directory_path" type="string"/></class>
 <class name="ConnectionService"><superclass name="Application"/></class>
 <class name="Service"><attribute name="protocol" type="string" init-value="tcp"/><attribute name="port" type="u16" init-value="5000"/></class>
 <class name="VirtualHost"><relationship name="runs_on" class-type="PhysicalHost" low-cc="one" high-cc="one" is-composite="no" is-exclusive="no" is-dependent="no"/></class>
 <class name="PhysicalHost"/>
 <class name="VariableBase" is-abstract="yes"/>
 <class name="Variable"><superclass name="VariableBase"/><attribute name="name" type="string"/><attribute name="value" type="string"/></class>
 <class name="VariableSet"><superclass name="VariableBase"/><relationship name="contains" class-type="VariableBase" low-cc="one" high-cc="many" is-composite="no" is-exclusive="no" is-dependent="no"/></class>
 <class name="Segment">
  <superclass name="Component"/>
  <relationship name="segments" class-type="Segment" low-cc="zero" high-cc="many" is-composite="no" is-exclusive="no" is-dependent="no"/>
  <relationship name="applications" class-type="Application" low-cc="zero" high-cc="many" is-composite="no" is-exclusive="no" is-dependent="no"/>
  <relationship name="controller" class-type="RCApplication" low-cc="one" high-cc="one" is-composite="no" is-exclusive="no" is-dependent="no"/>
 </class>
 <class name="Session">
  <attribute name="rte_script" type="string"/>
  <attribute name="log_path" type="string"/>
  <attribute name="controller_log_level" type="enum" range="ERROR,INFO,DEBUG" init-value="INFO"/>
  <relationship name="environment" class-type="VariableBase" low-cc="zero" high-cc="many" is-composite="no" is-exclusive="no" is-dependent="no"/>
  <relationship name="disabled" class-type="Component" low-cc="zero" high-cc="many" is-composite="no" is-exclusive="no" is-dependent="no"/>
  <relationship name="segment" class-type="Segment" low-cc="one" high-cc="one" is-composite="no" is-exclusive="no" is-dependent="no"/>
  <relationship name="infrastructure_applications" class-type="Application" low-cc="zero" high-cc="many" is-composite="no" is-exclusive="no" is-dependent="no"/>
 </class>
</oks-schema>
`

// treeSession has a disabled sub-segment in the middle, a disabled
// application, an infrastructure application without application_name
// first in its list, nested VariableSets and per-application environment.
const treeSession = `<?xml version="1.0" encoding="ASCII"?>
<oks-data>
<info name=""/>
<include><file path="schema/mini.schema.xml"/></include>
<obj class="PhysicalHost" id="rack7-node-1"/>
<obj class="PhysicalHost" id="localhost"/>
<obj class="VirtualHost" id="on-rack7"><rel name="runs_on" class="PhysicalHost" id="rack7-node-1"/></obj>
<obj class="VirtualHost" id="on-local"><rel name="runs_on" class="PhysicalHost" id="localhost"/></obj>
<obj class="Variable" id="v-a1"><attr name="name" val="A"/><attr name="value" val="1"/></obj>
<obj class="Variable" id="v-a2"><attr name="name" val="A"/><attr name="value" val="2"/></obj>
<obj class="Variable" id="v-b"><attr name="name" val="B"/><attr name="value" val="it's $(x) &quot;y&quot;"/></obj>
<obj class="Variable" id="v-app"><attr name="name" val="A"/><attr name="value" val="app"/></obj>
<obj class="Variable" id="v-name"><attr name="name" val="DUNEDAQ_APPLICATION_NAME"/><attr name="value" val="overridden?"/></obj>
<obj class="VariableSet" id="inner"><rel name="contains"><ref class="Variable" id="v-a2"/><ref class="Variable" id="v-b"/></rel></obj>
<obj class="VariableSet" id="outer"><rel name="contains"><ref class="Variable" id="v-a1"/><ref class="VariableSet" id="inner"/></rel></obj>
<obj class="Service" id="top_control"><attr name="protocol" val="grpc"/><attr name="port" val="3333"/></obj>
<obj class="Service" id="data-out"><attr name="port" val="9"/></obj>
<obj class="Service" id="w1_control"/>
<obj class="DataStoreConf" id="store"><attr name="directory_path" val="/data/run/"/></obj>
<obj class="DataWriterConf" id="writer"><rel name="data_store_params" class="DataStoreConf" id="store"/></obj>
<obj class="RCApplication" id="top"><rel name="runs_on" class="VirtualHost" id="on-rack7"/><rel name="exposes_service"><ref class="Service" id="top_control"/></rel></obj>
<obj class="RCApplication" id="c-a"><rel name="runs_on" class="VirtualHost" id="on-local"/></obj>
<obj class="RCApplication" id="c-b"><rel name="runs_on" class="VirtualHost" id="on-rack7"/></obj>
<obj class="RCApplication" id="c-c"><rel name="runs_on" class="VirtualHost" id="on-rack7"/></obj>
<obj class="RCApplication" id="c-deep"><rel name="runs_on" class="VirtualHost" id="on-rack7"/></obj>
<obj class="DaqApplication" id="w1"><attr name="log_path" val="/applogs/"/><rel name="runs_on" class="VirtualHost" id="on-rack7"/>
 <rel name="exposes_service"><ref class="Service" id="data-out"/><ref class="Service" id="w1_control"/></rel>
 <rel name="application_environment"><ref class="Variable" id="v-app"/><ref class="Variable" id="v-name"/></rel></obj>
<obj class="DaqApplication" id="w2"><rel name="runs_on" class="VirtualHost" id="on-rack7"/></obj>
<obj class="DFApplication" id="w3"><rel name="runs_on" class="VirtualHost" id="on-rack7"/><rel name="data_writers"><ref class="DataWriterConf" id="writer"/></rel></obj>
<obj class="DaqApplication" id="hidden"><rel name="runs_on" class="VirtualHost" id="on-rack7"/></obj>
<obj class="DaqApplication" id="root-app"><rel name="runs_on" class="VirtualHost" id="on-rack7"/></obj>
<obj class="ConnectionService" id="virtual"><attr name="application_name" val=""/><rel name="runs_on" class="VirtualHost" id="on-rack7"/></obj>
<obj class="ConnectionService" id="lcs"><attr name="application_name" val="gunicorn"/>
 <attr name="commandline_parameters"><data val="-b 0.0.0.0:5000;"/><data val="echo $HOME 'q'"/></attr>
 <rel name="runs_on" class="VirtualHost" id="on-local"/></obj>
<obj class="Segment" id="seg-deep"><rel name="controller" class="RCApplication" id="c-deep"/><rel name="applications"><ref class="DaqApplication" id="hidden"/></rel></obj>
<obj class="Segment" id="seg-a"><rel name="controller" class="RCApplication" id="c-a"/>
 <rel name="applications"><ref class="DaqApplication" id="w1"/><ref class="DaqApplication" id="w2"/><ref class="DFApplication" id="w3"/></rel></obj>
<obj class="Segment" id="seg-b"><rel name="controller" class="RCApplication" id="c-b"/><rel name="segments"><ref class="Segment" id="seg-deep"/></rel></obj>
<obj class="Segment" id="seg-c"><rel name="controller" class="RCApplication" id="c-c"/></obj>
<obj class="Segment" id="root"><rel name="controller" class="RCApplication" id="top"/>
 <rel name="segments"><ref class="Segment" id="seg-a"/><ref class="Segment" id="seg-b"/><ref class="Segment" id="seg-c"/></rel>
 <rel name="applications"><ref class="DaqApplication" id="root-app"/></rel></obj>
<obj class="Session" id="tree">
 <attr name="rte_script" val="/opt/daq/rte.sh"/>
 <attr name="log_path" val="/sessionlogs"/>
 <attr name="controller_log_level" val="DEBUG"/>
 <rel name="environment"><ref class="VariableSet" id="outer"/></rel>
 <rel name="disabled"><ref class="Segment" id="seg-b"/><ref class="DaqApplication" id="w2"/></rel>
 <rel name="segment" class="Segment" id="root"/>
 <rel name="infrastructure_applications"><ref class="ConnectionService" id="virtual"/><ref class="ConnectionService" id="lcs"/></rel>
</obj>
</oks-data>
`

type memFiles map[string]string

func (m memFiles) ReadFile(name string) ([]byte, error) {
	if v, ok := m[filepath.Clean(name)]; ok {
		return []byte(v), nil
	}
	return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
}

func treeOpts(files memFiles) Options {
	return Options{File: "cfg/tree.data.xml", SessionID: "tree", User: "u", LocalhostNode: "k8s-node-0",
		DBPath: "/release/db", ReadFile: files.ReadFile}
}

func treeFiles() memFiles {
	return memFiles{"/release/db/schema/mini.schema.xml": miniSchema, "cfg/tree.data.xml": treeSession}
}

// editedTree is treeFiles with the Session file changed by edit (nil:
// as it is).
func editedTree(edit func(string) string) memFiles {
	files := treeFiles()
	if edit != nil {
		files["cfg/tree.data.xml"] = edit(treeSession)
	}
	return files
}

// withSecondSession adds the Session "bush": the same tree, bush's own id.
func withSecondSession(s string) string {
	return strings.Replace(s, "</oks-data>", `<obj class="Session" id="bush"><rel name="segment" class="Segment" id="seg-c"/></obj>
</oks-data>`, 1)
}

// TestChooseSession: without --session-id the Session is the one called
// like the session (-n), else the file's only one; the choice is kept in
// SessionID (boot's record and config's -o json name it).
func TestChooseSession(t *testing.T) {
	cases := []struct {
		name, sessionName, want string
		edit                    func(string) string
	}{
		{"the only Session", "", "tree", nil},
		{"the only Session, under another session name", "run42", "tree", nil},
		{"called like the session", "bush", "bush", withSecondSession},
		{"called like the session, the other one", "tree", "tree", withSecondSession},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			given := treeOpts(editedTree(c.edit))
			given.SessionID, given.SessionName = "", c.sessionName
			db, err := Read(given)
			if err != nil {
				t.Fatal(err)
			}
			opts := given
			s, err := opts.ChooseSession(db)
			if err != nil {
				t.Fatal(err)
			}
			if s.ID != c.want || opts.SessionID != c.want {
				t.Errorf("chose %q (SessionID %q), want %q", s.ID, opts.SessionID, c.want)
			}
			sess, err := Derive(db, given)
			if err != nil {
				t.Fatal(err)
			}
			if wantName := c.sessionName; wantName != "" && sess.Name != wantName || wantName == "" && sess.Name != c.want {
				t.Errorf("session name %q", sess.Name)
			}
		})
	}
}

func TestRules(t *testing.T) {
	s, err := Load(treeOpts(treeFiles()))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range s.Processes {
		got = append(got, p.Name+"@"+p.TreeID+"@"+p.Host)
	}
	want := []string{
		// "virtual" (empty application_name) is skipped but keeps number 1.
		"lcs@2@k8s-node-0",
		"top@0@rack7-node", // trailing -1 stripped
		"c-a@0.0@k8s-node-0",
		"w1@0.0.0@rack7-node",
		// w2 is disabled: it takes no number, w3 follows w1.
		"w3@0.0.1@rack7-node",
		// seg-b (index 1) is disabled with everything beneath it; seg-c keeps index 2.
		"c-c@0.2@rack7-node",
		// The root segment's own applications count on from its 3 sub-segments.
		"root-app@0.3@rack7-node",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("processes\n got %v\nwant %v", got, want)
	}
	byName := map[string]int{}
	for i, p := range s.Processes {
		byName[p.Name] = i
	}
	rte := []string{"/opt/daq/rte.sh"}

	lcs := s.Processes[byName["lcs"]]
	if len(lcs.Executables) != 2 || lcs.Executables[0].Exec != "source" || !reflect.DeepEqual(lcs.Executables[0].Args, rte) {
		t.Fatalf("lcs executables %+v", lcs.Executables)
	}
	if x := lcs.Executables[1]; x.Exec != "gunicorn" || x.Shell != "-b 0.0.0.0:5000; echo $HOME 'q'" || x.Args != nil {
		t.Errorf("lcs main %+v", x)
	}

	top := s.Processes[byName["top"]]
	wantTop := []string{"-s", "tree", "-k", "tree", "-n", "top", "-c", "grpc://rack7-node-1:3333", "-d", "oksconflibs:cfg/tree.data.xml", "-l", "DEBUG"}
	if x := top.Executables[1]; x.Exec != "drunc-controller" || !reflect.DeepEqual(x.Args, wantTop) {
		t.Errorf("top main %+v", x)
	}
	// A controller on localhost keeps "localhost" in its control address.
	if x := s.Processes[byName["c-a"]].Executables[1]; x.Args[7] != "://localhost:-1" {
		t.Errorf("c-a without a control service: -c %q (drunc's empty protocol and port -1)", x.Args[7])
	}
	// w1: the first *_control service, with the schema's default protocol/port; no -l.
	w1 := s.Processes[byName["w1"]]
	if x := w1.Executables[1]; x.Exec != "daq_application" || len(x.Args) != 10 || x.Args[7] != "tcp://rack7-node-1:5000" {
		t.Errorf("w1 main %+v", x)
	}

	// Env: Session VariableSets flattened in order (A=1 then A=2), the
	// application's own later (A=app), then the fixed names last.
	wantEnv := map[string]string{"DUNEDAQ_SESSION": "tree", "DUNEDAQ_DB_PATH": "/release/db", "A": "app",
		"B": `it's $(x) "y"`, "DUNEDAQ_APPLICATION_NAME": "w1", "DRUNC_HOST_NAME": "rack7-node"}
	if !reflect.DeepEqual(w1.Env, wantEnv) {
		t.Errorf("w1 env %v", sorted(w1.Env))
	}
	if top.Env["A"] != "2" || top.Env["DUNEDAQ_APPLICATION_NAME"] != "top" {
		t.Errorf("top env %v", sorted(top.Env))
	}

	// Log paths: the application's log_path, else the Session's.
	if w1.LogPath != "/applogs/log_u_tree_w1.txt" || top.LogPath != "/sessionlogs/log_u_tree_top.txt" {
		t.Errorf("log paths %q %q", w1.LogPath, top.LogPath)
	}
	// Data directory of a DFApplication's writer, cleaned.
	if d := s.Processes[byName["w3"]].DataMount; d != "/data/run" {
		t.Errorf("w3 data mount %q", d)
	}
}

func TestRulesOverrides(t *testing.T) {
	opts := treeOpts(treeFiles())
	opts.SessionName = "other-name"
	opts.RTEScript = "/my/rte.sh"
	s, err := Load(opts)
	if err != nil {
		t.Fatal(err)
	}
	top := s.Processes[1]
	if top.Executables[0].Args[0] != "/my/rte.sh" || top.Executables[1].Args[1] != "other-name" || top.Executables[1].Args[3] != "tree" {
		t.Errorf("top %+v", top.Executables)
	}
	if top.Env["DUNEDAQ_SESSION"] != "other-name" || top.LogPath != "/sessionlogs/log_u_other-name_top.txt" {
		t.Errorf("top env/log %v %q", top.Env["DUNEDAQ_SESSION"], top.LogPath)
	}

	// Without any log_path and rte_script: --log-dir, and no source step.
	files := treeFiles()
	files["cfg/tree.data.xml"] = strings.NewReplacer(`<attr name="rte_script" val="/opt/daq/rte.sh"/>`, "",
		`<attr name="log_path" val="/sessionlogs"/>`, "").Replace(treeSession)
	opts = treeOpts(files)
	opts.LogDir = "/fallback/"
	opts.DBPath = "/release/db:"
	s, err = Load(opts)
	if err != nil {
		t.Fatal(err)
	}
	top = s.Processes[1]
	if len(top.Executables) != 1 || top.LogPath != "/fallback/log_u_tree_top.txt" {
		t.Errorf("top %+v %q", top.Executables, top.LogPath)
	}
	opts.LogDir = ""
	if s, _ = Load(opts); s.Processes[1].LogPath != "" {
		t.Errorf("no log dir anywhere: log path %q", s.Processes[1].LogPath)
	}

	// A relative log_path (DUNE writes "./") is resolved against --log-dir.
	files["cfg/tree.data.xml"] = strings.Replace(treeSession, `val="/sessionlogs"`, `val="./"`, 1)
	opts = treeOpts(files)
	opts.LogDir = "/base"
	if s, _ = Load(opts); s.Processes[1].LogPath != "/base/log_u_tree_top.txt" {
		t.Errorf("relative Session log_path: %q", s.Processes[1].LogPath)
	}
	opts.LogDir = ""
	if s, _ = Load(opts); s.Processes[1].LogPath != "" {
		t.Errorf("relative Session log_path without --log-dir: %q", s.Processes[1].LogPath)
	}
}

// TestBadInput: each mistake is one line naming the file and the object.
func TestBadInput(t *testing.T) {
	cases := []struct {
		name    string
		edit    func(string) string
		opts    func(*Options)
		wantAll []string
	}{
		{"missing file", nil, func(o *Options) { o.File = "cfg/none.data.xml" },
			[]string{"cfg/none.data.xml: no such file (looked for cfg/none.data.xml, /release/db/cfg/none.data.xml)"}},
		{"no file given", nil, func(o *Options) { o.File = "" }, []string{"no OKS file given: pass --oks FILE"}},
		{"missing include", func(s string) string {
			return strings.Replace(s, "schema/mini.schema.xml", "schema/gone.schema.xml", 1)
		}, nil, []string{`cfg/tree.data.xml:4: included file "schema/gone.schema.xml" not found (looked for /release/db/schema/gone.schema.xml, cfg/schema/gone.schema.xml)`}},
		{"unknown session", nil, func(o *Options) { o.SessionID = "trees" },
			[]string{`no Session "trees" in cfg/tree.data.xml (Sessions there: tree)`}},
		{"no session id, two Sessions", withSecondSession, func(o *Options) { o.SessionID = "" },
			[]string{`no Session id given: pass --session-id ID (Sessions in cfg/tree.data.xml: `, "bush", "tree"}},
		{"no session id, two Sessions, neither called like the session", withSecondSession, func(o *Options) { o.SessionID, o.SessionName = "", "run42" },
			[]string{`no Session id given, and no Session is called "run42" like the session: pass --session-id ID`, "bush", "tree"}},
		{"dangling reference", func(s string) string {
			return strings.Replace(s, `<ref class="DaqApplication" id="w2"/><ref`, `<ref class="DaqApplication" id="w9"/><ref`, 1)
		}, nil, []string{`cfg/tree.data.xml:39: Segment "seg-a" relationship "applications" refers to DaqApplication "w9", which no loaded file defines`}},
		{"no runs_on", func(s string) string {
			return strings.Replace(s, `<obj class="DaqApplication" id="w2"><rel name="runs_on" class="VirtualHost" id="on-rack7"/></obj>`, `<obj class="DaqApplication" id="w2"/>`, 1)
		}, func(o *Options) { o.SessionID = "tree" },
			nil},
		{"no runs_on (enabled)", func(s string) string {
			return strings.Replace(s, `<obj class="RCApplication" id="c-c"><rel name="runs_on" class="VirtualHost" id="on-rack7"/></obj>`, `<obj class="RCApplication" id="c-c"/>`, 1)
		}, nil, []string{`cfg/tree.data.xml:24: RCApplication "c-c" has no runs_on: set it to the VirtualHost the process runs on`}},
		{"malformed XML", func(s string) string {
			return strings.Replace(s, `<obj class="PhysicalHost" id="localhost"/>`, `<obj class="PhysicalHost" id="localhost">`, 1)
		}, nil,
			[]string{"cfg/tree.data.xml:", "malformed XML"}},
		{"no localhost node", nil, func(o *Options) { o.LocalhostNode = "" },
			[]string{`cfg/tree.data.xml:22: RCApplication "c-a" runs on PhysicalHost "localhost"`, "pass --localhost NODE"}},
		{"segment loop", func(s string) string {
			return strings.Replace(s, `<obj class="Segment" id="seg-c"><rel name="controller" class="RCApplication" id="c-c"/></obj>`,
				`<obj class="Segment" id="seg-c"><rel name="controller" class="RCApplication" id="c-c"/><rel name="segments"><ref class="Segment" id="root"/></rel></obj>`, 1)
		}, nil, []string{`Segment "root" contains itself`}},
		{"application used twice", func(s string) string {
			return strings.Replace(s, `<rel name="applications"><ref class="DaqApplication" id="root-app"/></rel>`, `<rel name="applications"><ref class="DaqApplication" id="w1"/></rel>`, 1)
		}, nil, []string{`DaqApplication "w1" is used twice in Session "tree" (tree ids 0.0.0 and 0.3)`}},
		{"variable set loop", func(s string) string {
			return strings.Replace(s, `<ref class="Variable" id="v-a2"/><ref class="Variable" id="v-b"/>`, `<ref class="VariableSet" id="outer"/>`, 1)
		}, nil, []string{`VariableSet "outer" contains itself`}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			opts := treeOpts(editedTree(c.edit))
			if c.opts != nil {
				c.opts(&opts)
			}
			_, err := Load(opts)
			if c.wantAll == nil { // a disabled application needs no host
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("no error")
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error spans lines: %q", err)
			}
			for _, w := range c.wantAll {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q\ndoes not contain %q", err, w)
				}
			}
		})
	}
}
