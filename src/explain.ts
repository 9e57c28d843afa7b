// Turns any failure into what a person reading the job log needs: what went
// wrong in the server's own words, and the likely fix.
import { formatDuration } from './duration.js'
import { InputError, type Settings } from './inputs.js'
import { CancelledError } from './cancel.js'
import {
  AuthError,
  type Connection,
  NetworkError,
  NotFoundError,
  ProtocolError,
  RequestError,
  ServerError,
  StartTaskError,
  UnreachableError
} from './openhands/errors.js'
import { StepTimeoutError } from './step-timeout.js'

// Message ids the server uses when the account has no usable LLM configured.
const LLM_SETTINGS_IDS = /LLM|SETTINGS_NOT_FOUND/

export interface FailureContext {
  /** Whether a conversation was started: a failed start may or may not have created one. */
  started: boolean
  settings?: Settings
  lastStatus?: string
  /** The step stopped the conversation on its way out. */
  stopped?: boolean
  /** V1: the sandbox was last seen PAUSED by OpenHands, not by this step. */
  paused?: boolean
}

export function explain(error: unknown, { started, settings, lastStatus, stopped, paused }: FailureContext): string {
  const base = settings?.baseUrl ?? 'the OpenHands server'
  const stoppedNote = stopped ? ' The conversation was stopped (stop-on-cancel).' : ''
  if (error instanceof InputError) return error.message
  if (error instanceof CancelledError) {
    return `${error.message}${lastStatus ? ` The last status seen was ${lastStatus}.` : ''}${stoppedNote}`
  }
  if (error instanceof StepTimeoutError) {
    const seen = lastStatus ? ` The last status seen was ${lastStatus}.` : ''
    const limit = settings ? ` (it is ${formatDuration(settings.timeoutMs)})` : ''
    const pausedNote = paused ? " OpenHands had paused the sandbox and did not resume it in time: the conversation's page can resume it." : ''
    // A longer timeout does not help an address that takes no connection.
    const last = error.lastError
    const advice =
      last instanceof NetworkError && !last.requestSent
        ? ` ${addressAdvice(last.connection, base)}`
        : ` Raise the timeout input if the conversation needs longer${limit}.`
    return `${error.message}${seen}${pausedNote}${stoppedNote}${advice}`
  }
  if (error instanceof UnreachableError) {
    if (!started) return `${error.message}. ${addressAdvice(error.last.connection, base)}`
    return (
      `${error.message}. The server took connections when the conversation started, so base-url is right: the server, the network or the proxy ` +
      `went down while the step waited. The conversation may still be running; see its page (the conversation-url output).${stoppedNote}`
    )
  }
  if (error instanceof StartTaskError) {
    const detail = error.serverMessage ?? ''
    if (/unable to access repo/i.test(detail)) {
      return `${error.message}. Check the repository name, and that the account owning the api-key can reach it (in OpenHands Cloud: the GitHub App is installed on the repository).`
    }
    if (/llm|api key|authenticat/i.test(detail)) return `${error.message}. Check the LLM settings of the account that owns the api-key (Settings → LLM).`
    return `${error.message}.`
  }
  if (error instanceof AuthError) {
    if (settings?.repository && /unable to access repo/i.test(error.serverMessage ?? '')) {
      return (
        `OpenHands could not access the repository ${settings.repository}: "${error.serverMessage}" (HTTP ${error.status}). ` +
        'Check the repository name, and that the account owning the api-key can reach it (in OpenHands Cloud: the GitHub App is installed on the repository).'
      )
    }
    return (
      `OpenHands refused the api-key: ${error.message}. ` + `Check that the secret holds a current OpenHands API key (Settings → API Keys) issued by ${base}.`
    )
  }
  if (error instanceof RequestError) {
    if (LLM_SETTINGS_IDS.test(error.messageId ?? '')) {
      return `OpenHands could not start the agent: ${error.message} (${error.messageId}). Check the LLM settings of the account that owns the api-key (Settings → LLM).`
    }
    if (error.status === 422) {
      return `OpenHands did not accept the request: ${error.message}. A self-hosted server at ${base} may be a version this action does not support.`
    }
    return `OpenHands refused the request: ${error.message}.`
  }
  if (error instanceof NotFoundError) {
    return !started
      ? `${error.message}. Check base-url: ${base} does not seem to serve the OpenHands API.`
      : `${error.message}. The conversation may have been deleted.`
  }
  if (!started && (error instanceof ServerError || error instanceof ProtocolError || (error instanceof NetworkError && error.requestSent))) {
    // Retrying could start a second conversation, so the user has to look.
    return (
      `Starting the conversation failed: ${error.message}. It may have started anyway; look at your conversations at ${base} ` +
      'before running this again. The action does not retry a start that may have succeeded, so it never starts two.' +
      (error instanceof ProtocolError ? ` Check that base-url points to an OpenHands server.` : '')
    )
  }
  if (error instanceof NetworkError) return `Could not reach OpenHands at ${base}: ${error.message}. Check base-url.`
  if (error instanceof Error) return error.message
  return String(error)
}

/** What a connection that never reached the server says about the address, and what to check. */
function addressAdvice(connection: Connection | undefined, base: string): string {
  const check = `Check base-url (${base}), and HTTPS_PROXY, HTTP_PROXY and NO_PROXY if the runner reaches the server through a proxy.`
  if (connection === undefined) return check
  const { host, port, proxy, code, proxyStatus } = connection
  if (proxy !== undefined && proxyStatus !== undefined) {
    return (
      `The proxy ${proxy} would not connect to ${host}:${port} (it answered ${proxyStatus}): check base-url (${base}), that the proxy lets the runner reach that host, ` +
      `or add the host to NO_PROXY if the runner reaches it without the proxy.`
    )
  }
  if (proxy !== undefined) {
    return `The proxy ${proxy} took no connection (${code ?? 'no answer'}): check HTTPS_PROXY and HTTP_PROXY, or add ${host} to NO_PROXY if the runner reaches it without the proxy.`
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `The name ${host} does not resolve. ${check}`
  if (code === 'ECONNREFUSED') return `Nothing accepts connections at ${host}:${port}. ${check}`
  return `There is no route to ${host}:${port}. ${check}`
}
