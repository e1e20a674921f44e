import { mount } from 'svelte';
import './styles/fonts.css';
import './styles/global.css';
import { prefs } from './lib/i18n/i18n.svelte';
import { display } from './lib/display-prefs.svelte';
import { parseRoute } from './lib/route';
import PlayApp from './play/PlayApp.svelte';

prefs.apply();
display.apply();
const route = parseRoute(location.pathname, location.search);
const target = document.getElementById('app')!;

// Host, projector and online-round code is split off so a contestant's phone downloads only the play screens,
// and the play screens are in the entry so a phone on 3G needs no extra round trip.
async function start() {
  switch (route.page) {
    case 'host':
      return mount((await import('./host/HostApp.svelte')).default, { target, props: { route } });
    case 'admin':
      return mount((await import('./admin/AdminApp.svelte')).default, { target });
    case 'online':
      return mount((await import('./online/OnlineApp.svelte')).default, {
        target,
        props: { contestId: route.contestId },
      });
    case 'verify':
      return mount((await import('./verify/VerifyApp.svelte')).default, { target, props: { code: route.code } });
    case 'practice':
      return mount((await import('./practice/PracticeApp.svelte')).default, {
        target,
        props: { contestId: route.contestId },
      });
    case 'online-board':
      return mount((await import('./online/BoardPage.svelte')).default, {
        target,
        props: { contestId: route.contestId },
      });
    case 'screen':
      return mount((await import('./screen/ScreenApp.svelte')).default, { target, props: { route } });
    default:
      return mount(PlayApp, { target, props: { route } });
  }
}

void start();
