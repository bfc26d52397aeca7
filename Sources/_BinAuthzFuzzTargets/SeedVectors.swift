// SPDX-License-Identifier: Apache-2.0
// The seed article's public key and attached signature (Tests/Fixtures/corpora/seed-article/set-a, see its README for
// provenance and licence) and kritis' P-256 public key (Tests/Fixtures/corpora/kritis/pkg/attestlib/testvectors,
// Apache-2.0): the fixed keys the fuzz targets verify against.

enum SeedVectors {
    static let publicKey = #"""
        -----BEGIN PGP PUBLIC KEY BLOCK-----

        mQENBFwase4BCADBFZg+8/67F9cZh63HTcUyqVc1+Z0mzVuYhwi5NTRx2wYasAyY
        v1LRBNgNzRcyD88rG4LzLynhl0vwlo/YiI2smzfzNmZDFDGmVdMYVWCv3+mCyFjx
        +y4sbFsd3pN6R+cgjkp3gl7hpP7kJtc5cbGUR/ldwwTYQLesp/RcLjCfFwOjwn8H
        OVlSZZbYPZ30Bp3E4VQv7nifMEH2uxxCm/Jak9EkDF1rwMuTUjWpr9SK8HRSKpzV
        YLjgGq6hf4DIeG8vS+7EabXDeVid+z+Xqyoz/APyWHbPBVoNDdZW57c19aCWG6ot
        X/bf4V1tymwYw1XAc1hh0OqtfVW0J3YTsf/3ABEBAAG0F25pdGhkZXZzZWNvcHNA
        Z21haWwuY29tiQFUBBMBCAA+FiEE5Qq95aDAXbMXR5SUwRGvQbiOzJYFAlwase4C
        GwMFCQPCZwAFCwkIBwIGFQoJCAsCBBYCAwECHgECF4AACgkQwRGvQbiOzJaKwAf/
        ahj/D9WGx9HzJ4FeY/wmgMaJYFTvIuwyEXzJndnruD5jGLvazYE4vz9fKlsBQopW
        xkHU3jAo70L+X9op/48E5410H9vdydjhFb01EATsgmtKZiRPJIQxIPHFc/if5b9L
        XFSkxLje/RsOYKJOKWR77fyR4gbifmJiG4h7/U8iAQ+vIMFDF02oWP+XHGu4FMkG
        /R/rkh4dXwJr7h3LFVAL6CQ7m8zimwF+v6JgXhR5UmNejtZjTOeztyFqQ4sjiMGS
        5pvcQwAoXRCek/lpP/pcv19QDwXLLR3BW8/9d+HuuATy/quSIo8BU1tmBczy7v9e
        QqCTqJGtVaOlljP+OK4webkBDQRcGrHuAQgAxTeFQ00Sl3R6y9Ac4wBArfJ4nxCa
        5uQU3hwD/V3Q8BlOjcmDOdMqTojfgh/ovEuHUEywTJQYxYqwf7kpYqNnYfUR+J5V
        iiWV/D0eWxDNZj1WjRHy86VbRfhrh+c9xEaHIU7S8jU23D6U9u1dPctrm25hbP1A
        5rT4fRvHdQTOlvvu/2qwZDOyTwy/xUHsOTsuxECTuEzM1sRjWjvVvSrwAFUUC4WL
        kGZ8n7hc66sCyrcwApM8xgTtJdeZsOh0V+nXqBuU0yKSjtgIox9IRL6BKADHsPcb
        BdyMZUxFlJWsYeSu9353uh2nIuSUvcc0V28X9ST9g5CSbUX1OTc/OMK+YQARAQAB
        iQE2BBgBCAAgFiEE5Qq95aDAXbMXR5SUwRGvQbiOzJYFAlwase4CGwwACgkQwRGv
        QbiOzJbPgQf+I+txaDzqiGnnd49f/3fBuyZoKpdv+7aVZo7/8vsezrR11X9oO3AY
        sKgNGCKAperIMRzLRw5/Svrw0FIF/7z8tk2p8cnwXQVFAc7JANgtZgm/xMG6ZhdS
        JJbuxtSMRm9UhlAYGE7aiVA0XTOId/CyIHVNOhU7J3yAT2tqrnPqylu+BvpftCu+
        RrqAL4MobBGZETMR8EFA1NbFDpXYJyjNOLO/iCh3FRWFgfs5xXh277zMvInnILGE
        XGOCyTHx3vVKDwYwUbfDyGGSGAfyvrx8IZQI4MweU44RPS57u3FJ4S1iPXVAxJAr
        Rq9zZsvnuPx64EXarhrS44MSsju4vC7sRw==
        =1waP
        -----END PGP PUBLIC KEY BLOCK-----
        """#

    static let signature = #"""
        -----BEGIN PGP MESSAGE-----

        owGbwMvMwMF4UHC9446+M9MY1zJ6Jomlp+alFiWWpKbEFyRW5uQnpuhlFefnxUgd
        iajmUlBQSi7KLMlMTsxRslIA8YEimSmpeSWZJZVwEaBYSn5ydmqRblFqWmpRal5y
        KlBOKT25SC8zXz8vNzEnpxJoQXFJQVF+VmpyiX5yfl5JYibQ2pTU3HwlsBm1OlDD
        cxPTU7GYnJuYl5kGNEI3JTMdSIHML85INDI1s0o0MUtMMksyMjQ2N0w1TDU2MjVI
        MU4yNTRKMrZITDQyNzJPTDEzTDRKSzZMTDJKMUo2NDY1tbBMMTY0TTY3MTFCtb+k
        sgDsePf8/PScVIXknPzSFIWkzLzE0pKMKgW4wxWKM9PzEktKi1JB2mu5ark6GX1Y
        GBg5GMzEFFmecu19uuBA7GZx9ylTYIHNygQKUgmZvMySjJTUsuLU5PyCYof03MTM
        HL3k/FwGLk4BmFKjDPZ/NkaM74yvKp8PrvnrsoHZlFVdLTTigaOae2uzkvSJ96da
        qsv3pbXEKcXc6HH8deGHd0PU18q8oP/FkYUsn67yzGCR7Ev3/XBKxPrgueLOF9dk
        ar9kX+1cHPq2Z2rUwdaV2g9mXbmes/losLd5lo9PwxRZhoNL19uxTtJiKZsv+lMl
        aGlX0L1ywVP2kqGR4VxKvg1HUu97aX7ZePXcGqmUyywT5uXKlh+YlLkwUkMovbQi
        8avuQd9jfJ3/GaJ+bGEWzjrw+IGyatt2EeN1Mk1GKiUfHffzi85hP1ai6uwbF3dU
        qlD/3m6ngg2Pn02UT/t+sHhOkJ5GVVyEx4OuR7NPb+R+bMWpzrR079ITCQA=
        =PF84
        -----END PGP MESSAGE-----
        """#

    static let ecdsaPublicKey = #"""
        -----BEGIN PUBLIC KEY-----
        MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEi6Jhqhr28Lzd2ouX/pFLAV3gXCQ9
        uq6nyHps7WrRsA7gcpjVT9H2mybHFsTm6nt4mhEeTTiYNeu86gNdT0LnkA==
        -----END PUBLIC KEY-----
        """#
}
