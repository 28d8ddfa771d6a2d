package yardstick.tracker.home;

/** POSIX {@code cksum}'s CRC (not zlib's CRC-32): the launcher names the tracker's AOT cache with it. */
final class Cksum {
    private Cksum() {}

    static long of(byte[] data) {
        int crc = 0;
        for (byte b : data) crc = step(crc, b);
        // The length follows the data, least significant byte first, without leading zero bytes.
        for (long n = data.length; n != 0; n >>>= 8) crc = step(crc, (byte) n);
        return ~crc & 0xFFFFFFFFL;
    }

    private static int step(int crc, byte b) {
        crc ^= (b & 0xFF) << 24;
        for (int i = 0; i < 8; i++) crc = crc < 0 ? (crc << 1) ^ 0x04C11DB7 : crc << 1;
        return crc;
    }
}
