import 'server-only';

/**
 * Passwords of 12 characters or more that show up again and again in breach corpora and are the
 * first an attacker tries. Compared case-insensitively, so each entry is listed once, in lower case.
 */
const COMMON_PASSWORDS: readonly string[] = [
  // Digits and repeated digits
  '123456789012', '1234567890123', '12345678901234', '123456789012345', '1234567890123456',
  '123456789123', '1234567891011', '123123123123', '123412341234', '121212121212', '123456123456',
  '123456654321', '654321654321', '111111111111', '1111111111111', '000000000000', '0000000000000',
  '222222222222', '333333333333', '444444444444', '555555555555', '666666666666', '777777777777',
  '888888888888', '999999999999', '112233445566', '11223344556677', '987654321098', '098765432109',
  '0987654321098', '147258369147', '159753159753', '741852963741', '159357159357', '321321321321',
  '101010101010', '010101010101', '696969696969', '131313131313', '789456123789', '123654789123',
  '147852369147', '987654321987', '246813579246', '135792468135', '123321123321', '102030405060',
  '123456789987', '123456789000', '198712345678', '199012345678', '200012345678',
  // Keyboard walks
  'qwertyuiop12', 'qwertyuiop123', 'qwertyuiop1234', 'qwertyuiopasdf', 'qwertyuiopasdfgh',
  'qwertyuiopasdfghjkl', 'qwertyuiopasdfghjklzxcvbnm', 'qwerty123456', 'qwerty1234567', 'qwerty12345678',
  '123456qwerty', 'qwertyqwerty', 'qwertyqwerty1', 'qwerty123qwerty', 'asdfghjkl123', 'asdfghjkl1234',
  'asdfghjklzxcvbnm', 'asdfasdfasdf', 'asdfasdfasdf1', 'zxcvbnm12345', 'zxcvbnm123456', 'zxcvbnmasdfghjkl',
  '1q2w3e4r5t6y', '1q2w3e4r5t6y7u', '1q2w3e4r5t6y7u8i', 'q1w2e3r4t5y6', 'q1w2e3r4t5y6u7', '1qaz2wsx3edc',
  '1qaz2wsx3edc4rfv', '1qazxsw23edc', 'zaq12wsxcde3', 'zaq1zaq1zaq1', 'zaq12wsx3edc', '!qaz@wsx#edc',
  '1qaz@wsx3edc', '1qaz!qaz2wsx@wsx', 'qazwsxedcrfv', 'qazwsxedc123', 'qweasdzxc123', '123qweasdzxc',
  '1234qwerasdf', 'qwerasdfzxcv', '1234qwer1234', 'qwer1234qwer', 'asdf1234asdf', '1234asdf1234',
  'azertyuiop12', 'azertyuiop123', 'azerty123456', 'qwertzuiop12', 'qwertzuiop123', '1qay2wsx3edc',
  'poiuytrewq12', 'poiuytrewq123', 'mnbvcxz12345', 'lkjhgfdsa123', '1234567890qwerty', 'qwerty1234567890',
  '!@#$%^&*()_+', '1234567890!@#', '!@#$%^&*1234', 'qwerty!@#$%^', '1234!@#$qwer', 'qwer!@#$1234',
  // Letters and simple sequences
  'aaaaaaaaaaaa', 'zzzzzzzzzzzz', 'xxxxxxxxxxxx', 'abcabcabcabc', 'abcdabcdabcd', 'abcdefghijkl',
  'abcdefghijklm', 'abcdefghijklmnop', 'abcdefghijklmnopqrstuvwxyz', 'abcdefg12345', 'abcdef123456',
  'abc123456789', 'abcd12345678', 'a1b2c3d4e5f6', 'a1b2c3d4e5f6g7', '1a2b3c4d5e6f', 'abc123abc123',
  '123abc123abc', 'abcd1234abcd', 'abcde12345abcde',
  // "password" and friends
  'password1234', 'password12345', 'password123456', 'password1234567', 'password123!', 'password123!!',
  'password1234!', 'password@123', 'password@1234', 'password#123', 'password!123', 'password2020',
  'password2021', 'password2022', 'password2023', 'password2024', 'password2025', 'password@2023',
  'password@2024', 'password@2025', 'passwordpassword', 'password1password', 'passwordqwerty',
  'qwertypassword', 'p@ssw0rd1234', 'p@ssword1234', 'p@ssw0rd123!', 'p@ssw0rd2023', 'p@ssw0rd2024',
  'p@ssw0rd2025', 'p@55w0rd1234', 'passw0rd1234', 'pa55w0rd1234', 'pa$$w0rd1234', 'mypassword123',
  'mypassword1234', 'newpassword1', 'newpassword12', 'newpassword123', 'changeme1234', 'changeme123!',
  'changeme@123', 'changemenow1', 'changethispassword', 'defaultpassword', 'default12345', 'temppassword',
  'temppassword1', 'temporary123', 'secretpassword', 'supersecret12', 'supersecretpassword', 'topsecret123',
  'verysecurepassword', 'securepassword', 'securepassword1', 'securepassword123', 'strongpassword',
  'strongpassword1', 'strongpassword123', 'passphrase123', 'thisismypassword', 'mypasswordis',
  'donttellanyone', 'correcthorsebatterystaple',
  // Accounts and services
  'adminpassword', 'administrator', 'administrator1', 'administrator123', 'admin1234567', 'admin123456789',
  'adminadmin123', 'admin@123456', 'rootpassword', 'root12345678', 'useruser1234', 'user12345678',
  'username1234', 'guest1234567', 'test12345678', 'testtest1234', 'testing12345', 'testpassword',
  'test123456789', 'login1234567', 'company12345', 'company@1234', 'vpnpassword1', 'vpnpassword123',
  'microsoft123', 'google123456', 'facebook1234', 'linkedin1234', 'linkedin12345', 'twitter12345',
  'instagram123', 'myspace12345', 'yahoo1234567', 'hotmail12345', 'gmail1234567', 'apple1234567',
  'samsung12345', 'iphone123456', 'android12345', 'windows12345', 'playstation1', 'playstation2',
  'playstation3', 'playstation4', 'playstation5', 'nintendo1234', 'netflix12345', 'spotify12345',
  'amazon123456', 'dropbox12345', 'adobe1234567',
  // Greetings and phrases
  'letmein12345', 'letmein123456', 'letmeinplease', 'letmeinnow123', 'opensesame123', 'welcome12345',
  'welcome123456', 'welcome1234567', 'welcome@1234', 'welcome@2023', 'welcome@2024', 'welcome@2025',
  'welcometothejungle', 'welcomehome1', 'helloworld12', 'helloworld123', 'hello1234567', 'hellohello12',
  'iloveyou1234', 'iloveyou12345', 'iloveyou123456', 'iloveyouforever', 'iloveyousomuch', 'iloveyoubaby',
  'iloveyoutoo1', 'iloveme12345', 'loveyou12345', 'lovelove1234', 'ilovemyself1', 'trustno1trustno1',
  'trustnoone12', 'trustme12345', 'goodluck1234', 'godisgood123', 'jesuschrist1', 'jesuslovesme',
  'jesus1234567', 'blessed12345', 'faithhopelove', 'nevergiveup1', 'justdoit1234', 'carpediem123',
  'whatever1234', 'whatsup12345', 'happybirthday', 'happybirthday1', 'birthday1234', 'iamthebest12',
  // Words with digits
  'football1234', 'football12345', 'baseball1234', 'basketball12', 'basketball123', 'soccer123456',
  'hockey123456', 'monkey123456', 'dragon123456', 'sunshine1234', 'princess1234', 'superman1234',
  'batman123456', 'spiderman123', 'starwars1234', 'pokemon12345', 'minecraft123', 'minecraft1234',
  'fortnite1234', 'michael12345', 'jennifer1234', 'jessica12345', 'charlie12345', 'shadow123456',
  'master123456', 'mustang12345', 'computer1234', 'internet1234', 'freedom12345', 'liverpool123',
  'chelsea12345', 'arsenal12345', 'manchester12', 'manchesterunited', 'barcelona123', 'realmadrid12',
  'juventus1234', 'harrypotter1', 'harrypotter12', 'harrypotter123', 'blink182blink182', 'metallica123',
  'nirvana12345', 'summer123456', 'winter123456', 'spring123456', 'autumn123456', 'january12345',
  'september123', 'december1234', 'november1234', 'october12345', 'christmas123', 'christmas2024',
  'sweetheart12', 'beautiful123', 'chocolate123', 'butterfly123', 'pineapple123', 'strawberry12',
  'watermelon12', 'blueberry123', 'cheesecake12', 'smileyface12', 'sunflower123', 'rainbow12345',
  'unicorn12345', 'penguin12345', 'elephant1234', 'tigers123456', 'lionking1234', 'flower123456',
  'qwerty@12345', 'qwerty@123456', 'india@123456', 'india1234567',
];

const COMMON = new Set(COMMON_PASSWORDS);

/** True when the password is on the shipped list of common passwords (any letter case). */
export function isCommonPassword(password: string): boolean {
  return COMMON.has(password.toLowerCase());
}

/** How many passwords the list holds (for tests and the docs). */
export const COMMON_PASSWORD_COUNT = COMMON.size;
