// Preloaded into the test dynalite (see dev.pixels.testing.Dynalite). dynalite rethrows a request's
// 'error' event, so one client that aborts a request mid-body (an SDK call interrupted when a test
// server shuts down, or cut by its call timeout) kills the whole server and every later test with
// it. DynamoDB itself just drops such a request; so does this.
process.on('uncaughtException', (err) => {
  if (err && (err.code === 'ECONNRESET' || err.message === 'aborted')) {
    console.error('dynalite: a client aborted a request; ignored');
    return;
  }
  console.error(err);
  process.exit(1);
});
