// Drives the local chat server with AWS's own IVS Chat SDK (npm amazon-ivs-chat-messaging),
// exactly as a browser app would, to check the stand-in is faithful to the real protocol.
// Run by tests/sdk.rs with: CLOUMER_URL, OWNER_TOKEN, MODERATOR_TOKEN, VIEWER_TOKEN,
// VIEWER_USER_ID, HANDLE, NODE_PATH.
'use strict';

// The SDK expects the browser's WebSocket; Node 20 has none, so use the `ws` package's.
globalThis.WebSocket = require('ws');
const {
  ChatRoom, SendMessageRequest, DeleteMessageRequest, DisconnectUserRequest,
} = require('amazon-ivs-chat-messaging');

const base = process.env.CLOUMER_URL;
const handle = process.env.HANDLE;

function tokenProvider(idToken) {
  return async () => {
    const response = await fetch(`${base}/api/v1/channels/${handle}/chat-token`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${idToken}` },
    });
    if (!response.ok) throw new Error(`chat-token: HTTP ${response.status}`);
    const body = await response.json();
    globalThis.endpoint = body.endpoint;
    return {
      token: body.token,
      sessionExpirationTime: new Date(body.sessionExpirationTime),
      tokenExpirationTime: new Date(body.tokenExpirationTime),
    };
  };
}

function once(room, event) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "${event}" event within 5 s`)), 5000);
    const unsubscribe = room.addListener(event, (payload) => {
      clearTimeout(timer);
      unsubscribe();
      resolve(payload);
    });
  });
}

function check(condition, message) {
  if (!condition) throw new Error(`check failed: ${message}`);
}

async function connect(idToken) {
  // The endpoint comes with the token; fetch one first to learn it.
  await tokenProvider(idToken)();
  const room = new ChatRoom({ regionOrUrl: globalThis.endpoint, tokenProvider: tokenProvider(idToken) });
  room.logLevel = 'error';
  const connected = once(room, 'connect');
  room.connect();
  await connected;
  return room;
}

async function main() {
  const owner = await connect(process.env.OWNER_TOKEN);
  const viewer = await connect(process.env.VIEWER_TOKEN);
  const moderator = await connect(process.env.MODERATOR_TOKEN);
  const report = {};

  // SEND_MESSAGE: the sender's promise resolves with the delivered message; others receive it.
  const received = once(owner, 'message');
  const sent = await viewer.sendMessage(new SendMessageRequest('hello from the official SDK 안녕', { lang: 'ko' }));
  const message = await received;
  check(message.id === sent.id, 'the owner received the message the viewer sent');
  check(message.content === 'hello from the official SDK 안녕', 'content');
  check(message.attributes.lang === 'ko', 'attributes');
  check(message.sender.userId === process.env.VIEWER_USER_ID, 'sender user id');
  check(message.sender.attributes.nickname === 'SDK Viewer', 'sender attributes');
  check(message.sendTime instanceof Date && !Number.isNaN(message.sendTime.getTime()), 'send time');
  report.messageId = message.id;

  // Errors come back as rejected promises with IVS error codes.
  try {
    await viewer.deleteMessage(new DeleteMessageRequest(message.id, 'not yours'));
    throw new Error('a viewer was allowed to delete');
  } catch (error) {
    check(error.errorCode === 403, `delete without capability: ${JSON.stringify(error)}`);
  }
  try {
    await viewer.sendMessage(new SendMessageRequest('x'.repeat(501)));
    throw new Error('an oversize message was accepted');
  } catch (error) {
    check(error.errorCode === 400, `too long: ${JSON.stringify(error)}`);
  }

  // DELETE_MESSAGE by the owner reaches everyone.
  const deleted = once(viewer, 'messageDelete');
  await owner.deleteMessage(new DeleteMessageRequest(message.id, 'cleanup'));
  const deletion = await deleted;
  check(deletion.messageId === message.id, 'deleted message id');
  check(deletion.reason === 'cleanup', 'deletion reason');

  // A moderator's token carries DELETE_MESSAGE: the moderator removes a viewer's message and
  // everyone hears it.
  const second = once(moderator, 'message');
  await viewer.sendMessage(new SendMessageRequest('second message'));
  const secondMessage = await second;
  const moderatorDeleted = once(owner, 'messageDelete');
  await moderator.deleteMessage(new DeleteMessageRequest(secondMessage.id, 'spam'));
  check((await moderatorDeleted).messageId === secondMessage.id, 'deleted by the moderator');
  report.moderatorDeletedId = secondMessage.id;

  // DISCONNECT_USER by the moderator: the viewer hears about it and is disconnected.
  const userDisconnect = once(viewer, 'userDisconnect');
  const disconnected = once(viewer, 'disconnect');
  await moderator.disconnectUser(new DisconnectUserRequest(process.env.VIEWER_USER_ID, 'time out'));
  const event = await userDisconnect;
  check(event.userId === process.env.VIEWER_USER_ID, 'disconnected user');
  check(event.reason === 'time out', 'disconnect reason');
  report.disconnectReason = await disconnected;

  moderator.disconnect();
  owner.disconnect();
  console.log(JSON.stringify({ ok: true, ...report }));
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error && error.stack ? error.stack : error);
    process.exit(1);
  },
);
