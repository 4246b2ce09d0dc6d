/**
 * A VM template of about 10 KB, like the one of OpenNebula's scalability tests: three disks, two NICs, a
 * contextualization section with keys and a start script, a long description. Images and networks are
 * given in full (SOURCE, MAC, IP...) as an instantiated VM holds them; `images` are the ids of the two images
 * its DISKs name (the daemon takes them for every VM). The content is fixed so that every run sends the same
 * bytes.
 */
export function benchTemplate(name: string, images: readonly [number, number] = [12, 31]): string {
  const key = (user: string, seed: number) => `ssh-ed25519 ${filler(seed, 68)} ${user}@bench.example.org`;
  const rsa = `ssh-rsa ${filler(7, 372)} ops@bench.example.org`;
  const script = filler(11, 2400);
  const description = Array.from({ length: 24 }, (_, i) =>
    `Line ${i + 1} of the description: a web application node of the benchmark tier, sized for its load ` +
    'profile, with the operating system disk, a data disk and swap, attached to the service and storage networks.',
  ).join(' ');
  return `NAME = "${name}"
CPU = "0.1"
VCPU = "1"
MEMORY = "128"
DESCRIPTION = "${description}"
LOGO = "images/logos/ubuntu.png"
HYPERVISOR = "dummy"
SCHED_REQUIREMENTS = "HYPERVISOR = \\"dummy\\""
OS = [ ARCH = "x86_64", BOOT = "disk0", MACHINE = "q35", FIRMWARE = "" ]
FEATURES = [ ACPI = "yes", APIC = "yes", GUEST_AGENT = "yes", VIRTIO_SCSI_QUEUES = "auto" ]
GRAPHICS = [ LISTEN = "0.0.0.0", TYPE = "VNC", KEYMAP = "en-us", RANDOM_PASSWD = "YES" ]
INPUT = [ BUS = "usb", TYPE = "tablet" ]
CPU_MODEL = [ MODEL = "host-passthrough" ]
DISK = [ IMAGE = "ubuntu-22.04", IMAGE_UNAME = "oneadmin", IMAGE_ID = "${images[0]}", DATASTORE = "default", DATASTORE_ID = "1",
  SOURCE = "/var/lib/one//datastores/1/6d8a2bd0c1f24a4e8f1e0f6ad53b0e11", ORIGINAL_SIZE = "2252", SIZE = "10240",
  FORMAT = "qcow2", DRIVER = "qcow2", DEV_PREFIX = "vd", TARGET = "vda", TM_MAD = "qcow2", TYPE = "FILE",
  CACHE = "none", IO = "native", DISCARD = "unmap", READONLY = "NO", SAVE = "NO", CLONE = "YES", CLONE_TARGET = "SYSTEM",
  LN_TARGET = "NONE", PERSISTENT_SNAPSHOTS = "NO", IMAGE_STATE = "2" ]
DISK = [ IMAGE = "app-data", IMAGE_UNAME = "oneadmin", IMAGE_ID = "${images[1]}", DATASTORE = "default", DATASTORE_ID = "1",
  SOURCE = "/var/lib/one//datastores/1/0f3c7aa1d55e4a6c9b4e4c91e2d1f7a2", ORIGINAL_SIZE = "20480", SIZE = "20480",
  FORMAT = "raw", DRIVER = "raw", DEV_PREFIX = "vd", TARGET = "vdb", TM_MAD = "qcow2", TYPE = "FILE",
  CACHE = "none", IO = "native", READONLY = "NO", SAVE = "NO", CLONE = "YES", CLONE_TARGET = "SYSTEM", LN_TARGET = "NONE" ]
DISK = [ TYPE = "swap", SIZE = "1024", DEV_PREFIX = "vd", TARGET = "vdc", FORMAT = "raw" ]
NIC = [ NETWORK = "service", NETWORK_UNAME = "oneadmin", NETWORK_ID = "0", BRIDGE = "br0", BRIDGE_TYPE = "linux",
  VN_MAD = "bridge", MODEL = "virtio", IP = "10.10.0.25", MAC = "02:00:0a:0a:00:19", NETWORK_ADDRESS = "10.10.0.0",
  NETWORK_MASK = "255.255.0.0", GATEWAY = "10.10.0.1", DNS = "10.10.0.2 10.10.0.3", SEARCH_DOMAIN = "bench.example.org",
  SECURITY_GROUPS = "0", AR_ID = "0", FILTER_IP_SPOOFING = "YES", FILTER_MAC_SPOOFING = "YES" ]
NIC = [ NETWORK = "storage", NETWORK_UNAME = "oneadmin", NETWORK_ID = "1", BRIDGE = "br1", BRIDGE_TYPE = "linux",
  VN_MAD = "bridge", MODEL = "virtio", IP = "10.20.0.25", MAC = "02:00:0a:14:00:19", NETWORK_ADDRESS = "10.20.0.0",
  NETWORK_MASK = "255.255.0.0", MTU = "9000", SECURITY_GROUPS = "0", AR_ID = "0" ]
CONTEXT = [ NETWORK = "YES", SET_HOSTNAME = "$NAME", REPORT_READY = "YES", TOKEN = "YES", USERNAME = "ops",
  USERNAME_SUDO = "YES", TIMEZONE = "Europe/Madrid", GROW_FS = "/", ONEGATE_ENDPOINT = "http://10.10.0.1:5030",
  SSH_PUBLIC_KEY = "${key('alice', 1)}\\n${key('bob', 2)}\\n${key('carol', 3)}\\n${rsa}",
  START_SCRIPT_BASE64 = "${script}",
  APP_ENV = "production", APP_ROLE = "web", APP_TIER = "frontend", APP_CONFIG_URL = "https://config.bench.example.org/web/production.yaml" ]
USER_INPUTS = [ APP_ENV = "O|list|Environment|production,staging,test|production" ]
INPUTS_ORDER = "APP_ENV"
MEMORY_UNIT_COST = "MB"
LABELS = "bench,web,production"
`;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** `length` base64 characters that look random but are the same on every run. */
function filler(seed: number, length: number): string {
  let x = seed * 2654435761 >>> 0;
  let out = '';
  for (let i = 0; i < length; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out += BASE64[(x >>> 16) & 63];
  }
  return out;
}
