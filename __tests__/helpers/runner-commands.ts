// Reads a step's stdout the way the GitHub Actions runner does (actions/runner):
// lines end at \n, \r or \r\n (StreamReader.ReadLine in ProcessInvoker.cs); each
// line is tried as `::name props::data` after TrimStart (ActionCommand.TryParseV2),
// then as the legacy `##[name props]data` anywhere in it (ActionCommand.TryParse);
// only registered names count; `::stop-commands::TOKEN` turns every command off
// until TOKEN comes back as a command (ActionCommandManager.TryProcessCommand).
// Stricter than the runner in one way: the runner compares with the current
// culture, where ICU ignores zero-width and control characters, so those are
// dropped from each line before it is tried.

export interface RunnerCommand {
  name: string
  data: string
  properties: Record<string, string>
  /** 'v2' for `::name::`, 'v1' for `##[name]`. */
  form: 'v1' | 'v2'
}

export interface RunnerReading {
  /** Every command the runner would obey, in order (stop-commands and its resume token included). */
  commands: RunnerCommand[]
  /** Whether commands were still stopped at the end: anything after the stop was swallowed. */
  stoppedAtEnd: boolean
}

// The runner's command extensions (src/Runner.Worker/*Command*.cs) and the issue commands.
const REGISTERED = [
  'add-mask',
  'add-matcher',
  'add-path',
  'debug',
  'echo',
  'internal-set-repo-path',
  'remove-matcher',
  'save-state',
  'set-env',
  'set-output',
  'warning',
  'error',
  'notice',
  'group',
  'endgroup',
  'stop-commands'
]

// .NET's char.IsWhiteSpace, which String.TrimStart() uses; control characters are dropped below anyway.
const DOTNET_SPACE = /^[\s\u0085]*/
const IGNORED = /[\p{Cf}\p{Cc}]/gu

function unescapeData(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
}

function parseV2(line: string, registered: Set<string>): RunnerCommand | undefined {
  const message = line.replace(DOTNET_SPACE, '')
  if (!message.startsWith('::')) return undefined
  const end = message.indexOf('::', 2)
  if (end < 0) return undefined
  const info = message.slice(2, end)
  const space = info.indexOf(' ')
  const name = space < 0 ? info : info.slice(0, space)
  if (!registered.has(name)) return undefined
  const properties: Record<string, string> = {}
  if (space > 0) {
    for (const pair of info
      .slice(space + 1)
      .trim()
      .split(',')) {
      const at = pair.indexOf('=')
      if (at > 0) properties[pair.slice(0, at)] = pair.slice(at + 1)
    }
  }
  return { name, data: unescapeData(message.slice(end + 2)), properties, form: 'v2' }
}

function parseV1(line: string, registered: Set<string>): RunnerCommand | undefined {
  const at = line.indexOf('##[')
  if (at < 0) return undefined
  const close = line.indexOf(']', at)
  if (close < 0) return undefined
  const info = line.slice(at + 3, close)
  const space = info.indexOf(' ')
  const name = space < 0 ? info : info.slice(0, space)
  if (!registered.has(name)) return undefined
  const properties: Record<string, string> = {}
  if (space > 0) {
    for (const pair of info.slice(space + 1).split(';')) {
      const eq = pair.indexOf('=')
      if (eq > 0) properties[pair.slice(0, eq)] = pair.slice(eq + 1)
    }
  }
  return { name, data: line.slice(close + 1), properties, form: 'v1' }
}

export function runnerCommands(stdout: string): RunnerReading {
  const registered = new Set(REGISTERED)
  const commands: RunnerCommand[] = []
  let stopToken: string | undefined
  for (const raw of stdout.split(/\r\n|\r|\n/)) {
    const line = raw.replace(IGNORED, '')
    const command = parseV2(line, registered) ?? parseV1(line, registered)
    if (command === undefined) continue
    if (stopToken !== undefined) {
      if (command.name.toLowerCase() === stopToken.toLowerCase()) {
        commands.push(command)
        registered.delete(stopToken)
        stopToken = undefined
      }
      continue
    }
    commands.push(command)
    if (command.name === 'stop-commands') {
      stopToken = command.data
      registered.add(stopToken)
    }
  }
  return { commands, stoppedAtEnd: stopToken !== undefined }
}
