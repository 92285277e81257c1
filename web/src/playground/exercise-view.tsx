// One exercise: its instructions, the editor, Run and Cancel over the session stream, and what
// the run did (checklist, output, packets) as it happens; earlier attempts replay in the same
// views. The draft and the language are kept in the browser per exercise (drafts.ts).
import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type {
  Api,
  CheckSubject,
  Exercise,
  Grade,
  Language,
  LearnerError,
  Lesson,
  OutputLine,
  Packet,
  Session,
  StreamServerMessage,
  SubmissionSummary,
} from "../api/client.ts";
import { openSessionStream, type SessionStream } from "../api/stream.ts";
import { renderMarkdown } from "../markdown.ts";
import { findFieldAtPath } from "../packets/field-path.ts";
import { PacketBrowser, type PacketSelection } from "../packets/packet-browser.tsx";
import type { HostNames } from "../packets/model.ts";
import { CodeEditor, type RunError } from "./code-editor.tsx";
import { GradeView } from "./grade-view.tsx";
import { OutputConsole } from "./output-console.tsx";
import { Attempts } from "./attempts.tsx";
import { createRunLog, RunLogView, type RunLog } from "./run-log.ts";
import { createDrafts, LANGUAGE_NAMES, sameDraft, starterFor } from "./drafts.ts";

interface Props {
  api: Api;
  lesson: Lesson;
  session: Session;
  exercise: Exercise;
  onGraded: () => void;
}

interface RunView {
  /** The stored submission once graded; absent while running. */
  submissionId?: string;
  label: string;
  running: boolean;
  /** What a running run is waiting for, in words. */
  phase?: string;
  /** Its packets and output, appended to as they stream in. */
  log: RunLog;
  grade?: Grade;
  message?: string;
  error?: RunError;
  /** The error in full for the output: rustc's rendered diagnostics, a stack. */
  errorDetail?: string;
  packetsTruncated?: boolean;
}

/** Before the first run: nothing streams into it. */
const noRun = createRunLog();

function hostNames(session: Session, exerciseId: string): HostNames {
  const topology = session.exercises.find((e) => e.id === exerciseId)?.topology;
  const names: HostNames = {};
  for (const host of topology?.hosts ?? []) names[host.name] = host.role.split(",")[0]!;
  if (topology) names[topology.learner.host] = "you";
  return names;
}

export function ExerciseView({ api, lesson, session, exercise, onGraded }: Props) {
  const drafts = useMemo(() => createDrafts(lesson.id, exercise), [lesson.id, exercise]);
  const [language, setLanguage] = useState<Language>(() => drafts.language());
  const [docKey, setDocKey] = useState(() => drafts.key(language));
  const [initial] = useState(() => drafts.code(language));
  const code = useRef(initial);
  const [run, setRun] = useState<RunView>();
  const [selection, setSelection] = useState<PacketSelection>({});
  const packetViews = useRef<HTMLDivElement>(null);
  const reveal = useRef<"field" | "packet" | undefined>(undefined);
  const [attemptsVersion, setAttemptsVersion] = useState(0);
  const currentRun = useRef<string | undefined>(undefined);
  const stream = useRef<SessionStream | undefined>(undefined);
  // The log the stream appends to: the current run's, set before React state catches up.
  const log = useRef<RunLog>(noRun);
  const names = useMemo(() => hostNames(session, exercise.id), [session, exercise.id]);
  // The page heads the exercise with its title; the instructions' own first heading would
  // repeat it.
  const instructions = useMemo(
    () =>
      renderMarkdown(
        exercise.instructions.replace(/^\s*#\s+(.*)\n/, (line, title: string) =>
          title.trim() === exercise.title ? "" : line,
        ),
      ),
    [exercise],
  );

  const newLog = (packets?: Packet[], output?: OutputLine[]) => {
    log.current.close();
    log.current = createRunLog(packets, output);
    return log.current;
  };

  const onMessage = (message: StreamServerMessage) => {
    if (message.type === "ready") return;
    if ("runId" in message && message.runId !== currentRun.current) return;
    switch (message.type) {
      case "compiling":
        setRun((now) => now && { ...now, phase: "Compiling…" });
        break;
      case "run-queued":
        setRun(
          (now) =>
            now && {
              ...now,
              // position 1 means next in line.
              phase:
                message.position <= 1
                  ? "Waiting for a sandbox: you are next…"
                  : `Waiting for a sandbox: ${message.position - 1} run(s) ahead of yours…`,
            },
        );
        break;
      case "run-started":
        setRun((now) => now && { ...now, phase: "Running…" });
        break;
      case "packet":
        log.current.addPacket(message.packet);
        break;
      case "packets":
        log.current.addPackets(message.packets);
        break;
      case "output":
        log.current.addOutput(message.line);
        break;
      case "run-finished":
        currentRun.current = undefined;
        log.current.setOutput(message.output);
        setRun((now) => ({
          ...(now ?? { log: log.current }),
          label: "Your run",
          running: false,
          submissionId: message.id,
          grade: message.grade,
          message: message.message,
          packetsTruncated: message.packetsTruncated,
          error: message.error
            ? {
                message: `${message.error.name}: ${message.error.message}`,
                ...(message.error.line !== undefined && { line: message.error.line }),
                ...(message.error.column !== undefined && { column: message.error.column }),
              }
            : undefined,
          errorDetail: errorDetail(message.error),
        }));
        setAttemptsVersion((n) => n + 1);
        onGraded();
        break;
      case "run-cancelled":
        log.current.flush();
        currentRun.current = undefined;
        setRun(
          (now) => now && { ...now, running: false, message: "Cancelled: nothing was stored." },
        );
        break;
      case "error":
        currentRun.current = undefined;
        setRun((now) => ({
          ...(now ?? { log: log.current, label: "Your run" }),
          running: false,
          message: message.error.message,
        }));
        break;
    }
  };
  const listener = useRef(onMessage);
  listener.current = onMessage;

  useEffect(() => {
    stream.current = openSessionStream(api, session.id, (m) => listener.current(m));
    return () => {
      stream.current?.close();
      log.current.close();
    };
  }, [api, session.id]);

  const start = async () => {
    if (currentRun.current || !stream.current) return;
    setRun({ label: "Your run", running: true, log: newLog() });
    currentRun.current = "starting";
    try {
      currentRun.current = await stream.current.run(exercise.id, code.current, language);
    } catch (error) {
      currentRun.current = undefined;
      setRun({
        label: "Your run",
        running: false,
        log: newLog(),
        message: (error as Error).message,
      });
    }
  };
  const cancel = () => {
    if (currentRun.current && currentRun.current !== "starting") {
      stream.current?.cancel(currentRun.current);
    }
  };

  const replay = async (attempt: SubmissionSummary) => {
    const [submission, trace] = await Promise.all([
      api.submission(attempt.id),
      api.trace(attempt.id),
    ]);
    setRun({
      label: `Attempt of ${new Date(submission.createdAt).toLocaleString()}`,
      running: false,
      submissionId: submission.id,
      log: newLog(trace.packets, submission.output),
      grade: submission.grade,
      message: submission.message,
      errorDetail: errorDetail(submission.error),
      packetsTruncated: trace.truncated,
    });
  };
  const loadCode = async (attempt: SubmissionSummary) => {
    const submission = await api.submission(attempt.id);
    code.current = submission.code;
    drafts.save(submission.language, submission.code);
    drafts.setLanguage(submission.language);
    setLanguage(submission.language);
    setDocKey(`${drafts.key(submission.language)}@${submission.id}`);
  };
  const chooseLanguage = (next: Language) => {
    drafts.setLanguage(next);
    if (!sameDraft(next, language)) {
      code.current = drafts.code(next);
      setDocKey(drafts.key(next));
      // The last run's error was in the other program.
      setRun((now) => now && { ...now, error: undefined });
    }
    setLanguage(next);
  };

  // A check's link selects its packet and field, then takes the learner (and the keyboard focus)
  // to them: the field tree when there is a field, else the packet list. Focusing scrolls there.
  const show = (subject: CheckSubject) => {
    const packet = run?.log.packets.find((p) => p.seq === subject.packet);
    const field = packet && subject.field ? findFieldAtPath(packet, subject.field) : undefined;
    setSelection({ seq: subject.packet, field: field?.key });
    reveal.current = field ? "field" : "packet";
  };
  useEffect(() => {
    const target = reveal.current;
    if (!target) return;
    reveal.current = undefined;
    const views = packetViews.current;
    const pane = views?.querySelector<HTMLElement>(
      target === "field" ? '[role="tree"]' : '[role="grid"]',
    );
    if (pane) pane.focus();
    else views?.scrollIntoView({ block: "start" });
  }, [selection]);

  const download = async () => {
    if (!run?.submissionId) return;
    const link = await api.downloadLink(`/v1/submissions/${run.submissionId}/trace.pcap`);
    const anchor = document.createElement("a");
    anchor.href = new URL(link.url, api.baseUrl).href;
    anchor.download = "";
    anchor.click();
  };

  return (
    <article class="exercise" aria-labelledby="exercise-title">
      <div class="exercise-top">
        <section class="instructions" aria-labelledby="exercise-title" tabIndex={0}>
          <p class="muted">{lesson.title}</p>
          <h1 id="exercise-title">{exercise.title}</h1>
          <div class="markdown" dangerouslySetInnerHTML={{ __html: instructions }} />
        </section>
        <section class="workbench" aria-label="Your program">
          <CodeEditor
            docKey={docKey}
            initial={code.current}
            language={language}
            declarations={lesson.learnerApi}
            error={run?.error}
            onChange={(next) => {
              code.current = next;
              drafts.save(language, next);
            }}
            onRun={() => void start()}
          />
          <div class="toolbar">
            <button type="button" onClick={() => void start()} disabled={run?.running}>
              ▶ Run
            </button>
            <button type="button" class="secondary" onClick={cancel} disabled={!run?.running}>
              ■ Cancel
            </button>
            <button
              type="button"
              class="secondary"
              onClick={() => {
                code.current = starterFor(exercise, language);
                drafts.forget(language);
                setDocKey(`${drafts.key(language)}@starter-${Date.now()}`);
              }}
            >
              Reset to starter code
            </button>
            <label class="inline">
              Language
              <select
                value={language}
                onChange={(event) => chooseLanguage(event.currentTarget.value as Language)}
              >
                {/* The languages the server runs this exercise in: no Rust without its compiler. */}
                {exercise.languages.map((option) => (
                  <option key={option} value={option}>
                    {LANGUAGE_NAMES[option]}
                  </option>
                ))}
              </select>
            </label>
            <span class="muted">Ctrl+Enter runs</span>
          </div>
          <p role="status" class="run-status">
            {run?.running ? (run.phase ?? "Running…") : (run?.message ?? "")}
          </p>
        </section>
      </div>
      <div class="results">
        <div class="results-side">
          <GradeView
            exercise={exercise}
            grade={run?.grade}
            packets={run?.log.packets ?? noRun.packets}
            onShow={show}
          />
          <RunLogView log={run?.log ?? noRun}>
            {() => <OutputConsole lines={run?.log.output ?? []} note={run?.errorDetail} />}
          </RunLogView>
          {run?.submissionId && (
            <p>
              <button type="button" class="secondary" onClick={() => void download()}>
                Download the packets (pcap)
              </button>
            </p>
          )}
          <Attempts
            api={api}
            lessonId={lesson.id}
            exerciseId={exercise.id}
            version={attemptsVersion}
            onReplay={replay}
            onLoadCode={loadCode}
          />
        </div>
        <div class="results-main" ref={packetViews}>
          {run && <h2>{run.label}</h2>}
          {run?.packetsTruncated && (
            <p class="muted">Only the first packets of this run were kept.</p>
          )}
          <RunLogView log={run?.log ?? noRun}>
            {() => (
              <PacketBrowser
                packets={run?.log.packets ?? noRun.packets}
                names={names}
                selected={selection}
                onSelect={setSelection}
              />
            )}
          </RunLogView>
        </div>
      </div>
    </article>
  );
}

/** What the output shows of a run's error: rustc's diagnostics as rustc renders them, or the stack. */
function errorDetail(error: LearnerError | null | undefined): string | undefined {
  if (!error) return undefined;
  return error.stack?.trim() || `${error.name}: ${error.message}`;
}
