package protocol

// vocabularyIntl is the shared vocabulary in the other languages servers
// and clients answer in — Portuguese, Spanish, French, German, Italian,
// Polish, Russian, Japanese and Korean — for the situations met most:
// who the address belongs to, an unknown or full mailbox, a login refused
// or required, a sender not allowed, spam and block lists. The words are
// each language's ordinary ones, as servers' translated templates and
// localized clients write them.
var vocabularyIntl = concatCues(
	// Recipient unknown.
	say(weightSpecific, ReasonRecipientUnknown,
		"utente inesistente", "casella inesistente", "indirizzo inesistente", "destinatario inesistente",
		"nie ma takiego użytkownika", "użytkownik nie istnieje", "adres nie istnieje", "skrzynka nie istnieje",
		"brak użytkownika", "nieznany odbiorca", "nieznany użytkownik", "no such user", "адресат не найден",
		"такого ящика нет", "ящик не существует", "адрес не существует", "получатель не найден",
		"宛先が見つかりません", "存在しないアドレス", "該当するユーザーがいません", "사용자 없음", "존재하지 않는",
		"없는 사용자", "수신자를 찾을 수 없", "不存在的用户"),
	// Mailbox full.
	say(weightDecisive, ReasonMailboxFull,
		"skrzynka pełna", "skrzynka jest pełna", "jest pełna", "pełna skrzynka", "skrzynka przepełniona", "przekroczony limit skrzynki",
		"casella è piena", "casella di posta piena", "spazio esaurito", "caixa postal está cheia", "caixa está cheia",
		"buzón está lleno", "buzón de correo lleno", "cuota superada", "ящик заполнен", "нет места",
		"メールボックスが一杯", "容量がいっぱい", "메일함 용량", "용량 초과", "사서함이 가득"),
	// Login refused, login required.
	say(weightSpecific, ReasonAuthFailed,
		"autenticazione fallita", "autenticazione non riuscita", "password errata", "nome utente o password",
		"błąd uwierzytelniania", "nieprawidłowe hasło", "niepoprawne hasło", "usuario o contraseña",
		"nome de usuário ou senha", "usuário ou senha", "identifiant ou mot de passe", "benutzername oder passwort",
		"неверный логин", "неправильный пароль", "パスワードが違います", "인증 실패", "비밀번호가 일치하지"),
	say(weightSpecific, ReasonAuthRequired,
		"necessita de autenticação", "requer autenticação", "exige autenticação", "autenticação é necessária",
		"requiere autenticación", "requiere autentificación", "se requiere autenticación",
		"authentification nécessaire", "authentification obligatoire", "authentifizierung notwendig",
		"anmeldung erforderlich", "autenticazione richiesta", "richiede autenticazione",
		"wymagane uwierzytelnianie", "wymagana autoryzacja", "требуется авторизация", "требуется аутентификация",
		"認証が必要", "인증이 필요", "需要身份验证"),
	// A sender address the login may not use.
	withRole(roleSender, say(weightSpecific, ReasonSenderDenied,
		"não é válido para o seu login", "não pertence", "no es válido para su", "no pertenece",
		"n'appartient pas", "gehört nicht", "non appartiene", "nie należy do", "не принадлежит")),
	// Spam and block lists.
	say(weightDecisive, ReasonSpam, "uznana za spam", "jako spam", "come spam", "considerato spam", "スパム", "스팸"),
	say(weightSpecific, ReasonBlocked, "czarnej liście", "czarna lista", "lista negra", "lista nera", "liste noire",
		"schwarze liste", "черный список", "чёрный список", "ブラックリスト", "블랙리스트", "차단"),
	say(weightDecisive, ReasonRelayDenied, "przekazywanie zabronione", "inoltro non consentito"),

	// Whose address, in these languages.
	roleWords(roleSender, "remetente", "remitente", "expéditeur", "expediteur", "absender", "mittente", "nadawca",
		"nadawcy", "отправитель", "отправителя", "差出人", "送信者", "발신자", "보낸 사람"),
	roleWords(roleRecipient, "destinatário", "destinatario", "destinataire", "empfänger", "odbiorca", "odbiorcy",
		"получатель", "получателя", "宛先", "수신자", "받는 사람"),
)
