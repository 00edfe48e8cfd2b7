// Getting template images into RGBA pixels: from a file, a pasted or dropped
// blob, an image URL, or the PNG data URL kept in storage. Every path checks
// the size before decoding the pixels, so a huge image is refused rather
// than exhausting memory.

import { sizeProblem } from '../lib/template.js';

/** Files larger than this are refused before they are read. */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;

/** An error whose message is a sentence meant for the player. */
export class TemplateError extends Error {}

/**
 * Decodes an image blob into { width, height, rgba, png } where `png` is a
 * PNG data URL of the same pixels (what storage keeps). Refuses images larger
 * than the canvas (canvasW × canvasH).
 */
export async function decodeBlob(blob, canvasW, canvasH) {
  if (blob.size > MAX_FILE_BYTES) {
    throw new TemplateError(`The image file is ${(blob.size / 1048576).toFixed(1)} MB; templates can be at most ${MAX_FILE_BYTES / 1048576} MB.`);
  }
  if (blob.type && !blob.type.startsWith('image/')) throw new TemplateError(`That is not an image (its type is ${blob.type}).`);
  const url = URL.createObjectURL(blob);
  try {
    return await decodeUrl(url, canvasW, canvasH);
  } finally {
    URL.revokeObjectURL(url);
  }
}

/** Decodes an image the page may read (same origin, blob: or data:) into pixels. */
export async function decodeUrl(src, canvasW, canvasH) {
  // 'load' gives the size while the pixels may still be undecoded, so a
  // huge image is refused before it takes its memory; drawImage decodes it.
  const img = new Image();
  await new Promise((resolve, reject) => {
    img.onload = resolve;
    img.onerror = () => reject(new TemplateError('The browser could not read that as an image. Templates can be PNG, GIF, WebP or JPEG files.'));
    img.src = src;
  });
  const { naturalWidth: width, naturalHeight: height } = img;
  const problem = sizeProblem(width, height, canvasW, canvasH);
  if (problem) throw new TemplateError(problem);
  const c = document.createElement('canvas');
  c.width = width;
  c.height = height;
  const ctx = c.getContext('2d', { willReadFrequently: true });
  ctx.drawImage(img, 0, 0);
  const rgba = ctx.getImageData(0, 0, width, height).data;
  return { width, height, rgba, png: c.toDataURL('image/png') };
}

/**
 * Fetches an image URL and decodes it. A server on another origin that sends
 * no CORS headers lets the page show its image but never read its pixels, and
 * a failed fetch looks the same whether the server refused CORS or does not
 * answer at all; a second, opaque request tells the two apart.
 */
export async function fetchImage(url, canvasW, canvasH) {
  let res;
  try {
    res = await fetch(url, { mode: 'cors', credentials: 'omit' });
  } catch {
    const host = hostOf(url);
    if (await reachable(url)) {
      throw new TemplateError(
        `The image at ${host} cannot be used as a template from its address: that site does not allow other sites to read its images (it sends no CORS headers). Download the image to your device, then add it with “From file” or drop it on the canvas.`,
      );
    }
    throw new TemplateError(`The image at ${host} could not be loaded: the site did not answer. Check the address, or download the image and add it from a file.`);
  }
  if (!res.ok) throw new TemplateError(`The image address answered ${res.status}: check that it points to an image.`);
  const length = Number(res.headers.get('Content-Length'));
  if (length > MAX_FILE_BYTES) throw new TemplateError(`The image is ${(length / 1048576).toFixed(1)} MB; templates can be at most ${MAX_FILE_BYTES / 1048576} MB.`);
  const type = res.headers.get('Content-Type') ?? '';
  if (type && !type.startsWith('image/')) throw new TemplateError(`That address is not an image (its type is ${type.split(';')[0]}).`);
  return decodeBlob(await res.blob(), canvasW, canvasH);
}

async function reachable(url) {
  try {
    await fetch(url, { mode: 'no-cors', credentials: 'omit' });
    return true;
  } catch {
    return false;
  }
}

function hostOf(url) {
  try {
    return new URL(url).host;
  } catch {
    return 'that address';
  }
}
