import { describe, it, expect } from '@jest/globals'
import { outputsOf, pullRequestUrls, summaryOf, type Outcome } from '../src/report.js'

const ID = '0f3a9c1e5b7d4a2f8e6c0b1d3f5a7c9e'
const URL_ = `https://app.all-hands.dev/conversations/${ID}`

const started: Outcome = {
  conversationId: ID,
  conversationUrl: URL_,
  status: 'RUNNING',
  title: 'Fix the failing tests',
  repository: 'owner/repo',
  prNumbers: [],
  prUrls: [],
  elapsedMs: 192_000
}

/** Lines of the summary that are table rows. */
const tableRows = (summary: string): string[] => summary.split('\n').filter((line) => line.startsWith('|'))
/** Cells of a row, split on pipes that are not escaped. */
const cellsOf = (row: string): string[] => row.split(/(?<!\\)\|/).slice(1, -1)
const rowNamed = (summary: string, name: string): string => {
  const row = tableRows(summary).find((line) => cellsOf(line)[0]?.trim() === name)
  if (row === undefined) throw new Error(`no ${name} row in:\n${summary}`)
  return row
}

describe('outputsOf', () => {
  it('gives the id, url and status', () => {
    expect(outputsOf(started)).toEqual({
      'conversation-id': ID,
      'conversation-url': URL_,
      status: 'RUNNING',
      'agent-state': '',
      'runtime-status': '',
      title: 'Fix the failing tests',
      'pr-urls': '',
      triggered: '',
      'comment-url': '',
      continued: 'false',
      'final-message': '',
      cost: '',
      'prompt-tokens': '',
      'completion-tokens': ''
    })
  })

  it('gives empty strings for what is not known', () => {
    expect(outputsOf({ elapsedMs: 5, prNumbers: [], prUrls: [] })).toEqual({
      'conversation-id': '',
      'conversation-url': '',
      status: '',
      'agent-state': '',
      'runtime-status': '',
      title: '',
      'pr-urls': '',
      triggered: '',
      'comment-url': '',
      continued: 'false',
      'final-message': '',
      cost: '',
      'prompt-tokens': '',
      'completion-tokens': ''
    })
  })

  it('gives the id and url of a started conversation whose status is not known', () => {
    expect(
      outputsOf({ conversationId: 'abc1234', conversationUrl: 'https://x.example/conversations/abc1234', elapsedMs: 1, prNumbers: [], prUrls: [] })
    ).toEqual({
      'conversation-id': 'abc1234',
      'conversation-url': 'https://x.example/conversations/abc1234',
      status: '',
      'agent-state': '',
      'runtime-status': '',
      title: '',
      'pr-urls': '',
      triggered: '',
      'comment-url': '',
      continued: 'false',
      'final-message': '',
      cost: '',
      'prompt-tokens': '',
      'completion-tokens': ''
    })
  })

  it('says whether the run was triggered, and where its comment is', () => {
    const outputs = outputsOf({ ...started, triggered: true, commentUrl: 'https://github.com/o/r/issues/1#issuecomment-9' })
    expect(outputs.triggered).toBe('true')
    expect(outputs['comment-url']).toBe('https://github.com/o/r/issues/1#issuecomment-9')
    expect(outputsOf({ elapsedMs: 0, prNumbers: [], prUrls: [], triggered: false }).triggered).toBe('false')
  })
})

describe('pull requests and the agent', () => {
  it('gives the PR links one per line, and the agent and runtime states', () => {
    const outcome: Outcome = {
      ...started,
      agentState: 'finished',
      runtimeStatus: 'STATUS$READY',
      prNumbers: [4, 9],
      prUrls: pullRequestUrls('https://github.com', 'owner/repo', [4, 9])
    }
    expect(outputsOf(outcome)).toMatchObject({
      'agent-state': 'finished',
      'runtime-status': 'STATUS$READY',
      'pr-urls': 'https://github.com/owner/repo/pull/4\nhttps://github.com/owner/repo/pull/9'
    })
    expect(summaryOf(outcome)).toContain('| Pull requests | https://github.com/owner/repo/pull/4<br>https://github.com/owner/repo/pull/9 |')
    expect(summaryOf(outcome)).toContain('| Agent | finished |')
  })

  it('builds no PR links without a repository', () => {
    expect(pullRequestUrls('https://github.com', undefined, [4])).toEqual([])
  })
})

describe('summaryOf', () => {
  it('says why nothing was started when the run was not triggered, escaping the reason and its mention', () => {
    const summary = summaryOf({ elapsedMs: 3, prNumbers: [], prUrls: [], triggered: false, skipped: '@mallory has read permission on o/r | <b>' })
    // A zero-width space after the @: GitHub links no one.
    expect(summary).toContain('Not started: @\u200bmallory has read permission on o/r \\| &lt;b&gt;')
    expect(summary).not.toContain('| Conversation |')
  })

  it('links the conversation by its title', () => {
    expect(rowNamed(summaryOf(started), 'Conversation')).toContain(`[Fix the failing tests](${URL_})`)
  })

  it("says when the message continued the thread's earlier conversation, and the output says true", () => {
    const line = "Continued the thread's earlier conversation with the new message."
    expect(summaryOf({ ...started, continued: true })).toContain(`### OpenHands conversation\n\n${line}\n\n| | |`)
    expect(summaryOf(started)).not.toContain(line)
    expect(outputsOf({ ...started, continued: true }).continued).toBe('true')
  })

  it('links the conversation by its id when it has no title', () => {
    expect(rowNamed(summaryOf({ ...started, title: undefined }), 'Conversation')).toContain(`[${ID}](${URL_})`)
  })

  it('has no link when nothing was started', () => {
    const summary = summaryOf({ elapsedMs: 1_000, prNumbers: [], prUrls: [], failure: 'Input api-key is empty' })
    expect(summary).not.toContain('](')
    expect(summary).not.toContain('http')
  })

  it('shows the repository, or _none_', () => {
    expect(rowNamed(summaryOf(started), 'Repository')).toContain('owner/repo')
    expect(rowNamed(summaryOf({ ...started, repository: undefined }), 'Repository')).toContain('_none_')
  })

  it.each(['STARTING', 'RUNNING', 'STOPPED', 'ERROR'])('shows status %s', (status) => {
    expect(rowNamed(summaryOf({ ...started, status }), 'Status')).toContain(status)
  })

  it.each([
    [850, '850ms'],
    [42_000, '42s'],
    [192_000, '3m 12s'],
    [3_900_000, '1h 5m']
  ])('shows %i ms as %s', (elapsedMs, formatted) => {
    const cells = cellsOf(rowNamed(summaryOf({ ...started, elapsedMs }), 'Time'))
    expect(cells[1].trim()).toBe(formatted)
  })

  it('has four rows under a header', () => {
    const rows = tableRows(summaryOf(started))
    expect(rows).toHaveLength(6)
    for (const row of rows) expect(cellsOf(row)).toHaveLength(2)
  })

  it('adds a failure line only when the step failed', () => {
    const failure = 'OpenHands refused the api-key: POST /api/conversations answered 401: NoCredentialsError.'
    const failed = summaryOf({ ...started, failure })
    const failureLine = failed.split('\n').find((line) => line.includes('Failed'))
    expect(failureLine).toBeDefined()
    expect(failureLine).toContain('NoCredentialsError')
    expect(failureLine).toContain('api-key')
    expect(summaryOf(started)).not.toMatch(/Failed/)
  })

  const hostile = 'a | b\n| injected | row |\r\n<script>alert(1)</script>\n\n[x](https://evil.example) *bold* _it_'

  it.each([
    ['title', { ...started, title: hostile }, 'Conversation'],
    ['status', { ...started, status: hostile }, 'Status']
  ] as const)('escapes server text in the %s so its row stays one row', (_field, outcome, rowName) => {
    const summary = summaryOf(outcome)
    const rows = tableRows(summary)
    expect(rows).toHaveLength(6)
    for (const row of rows) expect(cellsOf(row)).toHaveLength(2)
    const row = rowNamed(summary, rowName)
    expect(row).toContain('alert(1)')
    expect(row).toContain('injected')
    expect(summary).not.toContain('<')
    expect(summary).not.toMatch(/(?<!\\)\]\(https:\/\/evil/)
  })

  it('escapes server text in the failure so it adds no row and no markup', () => {
    const summary = summaryOf({ ...started, failure: `OpenHands refused the request: ${hostile}` })
    const rows = tableRows(summary)
    expect(rows).toHaveLength(6)
    for (const row of rows) expect(cellsOf(row)).toHaveLength(2)
    const failureLines = summary.split('\n').filter((line) => line.includes('alert(1)'))
    expect(failureLines).toHaveLength(1)
    expect(failureLines[0]).toContain('Failed')
    expect(failureLines[0]).toContain('injected')
    expect(summary).not.toContain('<')
    expect(summary).not.toMatch(/(?<!\\)\]\(https:\/\/evil/)
  })

  it('keeps escaped markup readable', () => {
    const summary = summaryOf({ ...started, title: 'Use <b> & <i>' })
    expect(rowNamed(summary, 'Conversation')).toContain('Use &lt;b&gt; &amp; &lt;i&gt;')
  })
})

describe('what the agent handed back', () => {
  const done: Outcome = {
    ...started,
    agentState: 'finished',
    finalMessage: '# Done\nI opened <b>PR</b> #4 for @octo-org/reviewers.\n- it fixes the tests',
    metrics: { cost: '0.4215', promptTokens: 120_000, completionTokens: 3400 }
  }

  it('gives the final message, the cost and the tokens as outputs', () => {
    expect(outputsOf(done)).toMatchObject({
      'final-message': done.finalMessage,
      cost: '0.4215',
      'prompt-tokens': '120000',
      'completion-tokens': '3400'
    })
  })

  it('shows the cost and the tokens in the summary, and the last message collapsed as plain text', () => {
    const summary = summaryOf(done)
    expect(summary).toContain('| Cost | $0.4215 |')
    expect(summary).toContain('| Tokens | 120000 prompt, 3400 completion |')
    expect(summary).toContain("<details><summary>The agent's last message</summary>")
    // No heading, no HTML, no list and no live mention from the agent's words; its line breaks kept.
    expect(summary).toContain('\\# Done  \nI opened &lt;b&gt;PR&lt;/b&gt; #4 for @\u200bocto-org/reviewers.  \n\\- it fixes the tests')
    expect(summary).not.toContain('<b>')
  })

  it('shows no cost row and no message where there are none', () => {
    const summary = summaryOf(started)
    expect(summary).not.toContain('| Cost |')
    expect(summary).not.toContain('<details>')
  })
})
