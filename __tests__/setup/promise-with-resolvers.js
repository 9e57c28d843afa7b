// eslint-disable-next-line @typescript-eslint/ban-ts-comment -- typed for ES2024, which the action itself must not assume (Node 20)
// @ts-nocheck
// nock 15 calls Promise.withResolvers, which Node.js gained in v22. CI and
// these machines run Node 20, where every intercepted request would fail
// without this stand-in. It is only for tests; the action itself never needs it.
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function withResolvers() {
    let resolve
    let reject
    const promise = new this((res, rej) => {
      resolve = res
      reject = rej
    })
    return { promise, resolve, reject }
  }
}
